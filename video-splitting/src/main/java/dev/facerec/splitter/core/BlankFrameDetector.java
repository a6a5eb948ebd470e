package dev.facerec.splitter.core;

import java.nio.ByteBuffer;

/**
 * Tells a near-uniform picture (a black fade-in, a title card of one colour) from one with content, by the spread of
 * luma over a sparse grid of pixels. Cheap: about 4,000 samples whatever the resolution.
 */
final class BlankFrameDetector {
    /** Standard deviation of luma (0-255) below which a picture counts as blank; real scenes are far above it. */
    static final double BLANK_LUMA_STDDEV = 6.0;
    private static final int GRID = 64;

    private BlankFrameDetector() {
    }

    /** {@code bgr}: packed 8-bit B,G,R pixels, {@code stride} bytes per row; read where it lies, not copied. */
    static boolean isBlank(ByteBuffer bgr, int width, int height, int stride) {
        double sum = 0;
        double sumSquares = 0;
        int count = 0;
        for (int gy = 0; gy < GRID; gy++) {
            int y = (int) ((gy + 0.5) * height / GRID);
            for (int gx = 0; gx < GRID; gx++) {
                int x = (int) ((gx + 0.5) * width / GRID);
                int i = y * stride + x * 3;
                double luma = 0.114 * (bgr.get(i) & 0xff) + 0.587 * (bgr.get(i + 1) & 0xff)
                        + 0.299 * (bgr.get(i + 2) & 0xff);
                sum += luma;
                sumSquares += luma * luma;
                count++;
            }
        }
        double mean = sum / count;
        double variance = Math.max(0, sumSquares / count - mean * mean);
        return Math.sqrt(variance) < BLANK_LUMA_STDDEV;
    }
}
