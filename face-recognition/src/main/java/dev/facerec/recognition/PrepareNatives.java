package dev.facerec.recognition;

/**
 * Run once while the container image is built: unpacks libtorch into {@code DJL_CACHE_DIR} and OpenCV's natives into
 * JavaCPP's cache ({@code -Dorg.bytedeco.javacpp.cachedir}) by loading every detector once, so that a cold start, with
 * any {@code FACE_DETECTOR}, loads them and unpacks nothing.
 */
public final class PrepareNatives {
    private PrepareNatives() {
    }

    public static void main(String[] args) {
        for (DetectorKind kind : DetectorKind.values()) {
            try (FaceAnalyzer analyzer = FaceAnalyzer.create(kind)) {
                System.out.println("face analyzer ready with the " + kind + " detector");
            }
        }
    }
}
