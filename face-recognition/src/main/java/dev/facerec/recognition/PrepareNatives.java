package dev.facerec.recognition;

/**
 * Run once while the container image is built: unpacks libtorch into {@code DJL_CACHE_DIR} by loading every detector
 * the function offers once, so that a cold start, with any {@code FACE_DETECTOR}, unpacks nothing.
 */
public final class PrepareNatives {
    private PrepareNatives() {
    }

    public static void main(String[] args) {
        for (DetectorKind kind : DetectorKind.values()) {
            if (!kind.inFunction()) {
                continue; // not in the function's image
            }
            try (FaceAnalyzer analyzer = FaceAnalyzer.create(kind)) {
                System.out.println("face analyzer ready with the " + kind + " detector");
            }
        }
    }
}
