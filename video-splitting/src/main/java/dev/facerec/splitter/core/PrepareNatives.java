package dev.facerec.splitter.core;

/**
 * Run once while the container image is built: unpacks FFmpeg's native libraries into JavaCPP's cache
 * ({@code -Dorg.bytedeco.javacpp.cachedir}), so that a cold start loads them and unpacks nothing.
 */
public final class PrepareNatives {
    private PrepareNatives() {
    }

    public static void main(String[] args) {
        FrameExtractor.loadNatives();
        System.out.println("FFmpeg natives ready in " + System.getProperty("org.bytedeco.javacpp.cachedir",
                System.getProperty("user.home") + "/.javacpp/cache"));
    }
}
