package dev.facerec.splitter.core;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;

/**
 * Turns a decoded BGR picture into the picture a viewer sees: pixel aspect ratio applied, then turned upright by the
 * container's display rotation (phone videos store landscape pixels with a "rotate 90" matrix).
 */
final class UprightPicture {
    private UprightPicture() {
    }

    /**
     * Copies the decoder's buffer (reused by the next decode) into a packed BGR image, upright. The caller bounds
     * {@code pixelAspect}: the image is widened by it.
     */
    static BufferedImage of(ByteBuffer pixels, int width, int height, int stride, double pixelAspect, int rotation) {
        byte[] packed = new byte[width * height * 3];
        ByteBuffer source = pixels.duplicate();
        for (int y = 0; y < height; y++) {
            source.position(y * stride);
            source.get(packed, y * width * 3, width * 3);
        }
        BufferedImage picture = wrap(packed, width, height);
        int displayWidth = displayWidth(width, pixelAspect);
        if (displayWidth != width) {
            picture = resize(picture, displayWidth, height);
        }
        return rotate(picture, rotation);
    }

    /** The width a viewer sees, at least one pixel. */
    static int displayWidth(int codedWidth, double pixelAspect) {
        return pixelAspect > 0 && Math.abs(pixelAspect - 1) > 1e-3
                ? (int) Math.max(1, Math.round(codedWidth * pixelAspect)) : codedWidth;
    }

    private static BufferedImage wrap(byte[] bgr, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(bgr, 0, target, 0, bgr.length);
        return image;
    }

    private static BufferedImage resize(BufferedImage image, int width, int height) {
        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return resized;
    }

    /** Clockwise rotation by 0, 90, 180 or 270 degrees, pixel by pixel (exact, no resampling). */
    static BufferedImage rotate(BufferedImage image, int clockwiseDegrees) {
        if (clockwiseDegrees == 0) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean quarter = clockwiseDegrees == 90 || clockwiseDegrees == 270;
        int outW = quarter ? h : w;
        int outH = quarter ? w : h;
        byte[] src = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        BufferedImage rotated = new BufferedImage(outW, outH, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) rotated.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sx;
                int sy;
                switch (clockwiseDegrees) {
                    case 90 -> { sx = y; sy = h - 1 - x; }
                    case 180 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    default -> { sx = w - 1 - y; sy = x; } // 270
                }
                int s = (sy * w + sx) * 3;
                int d = (y * outW + x) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return rotated;
    }

    /** FFmpeg's display-matrix angle (counter-clockwise, -180..180) as the clockwise turn that makes it upright. */
    static int clockwiseTurn(double displayMatrixDegrees) {
        if (Double.isNaN(displayMatrixDegrees)) {
            return 0;
        }
        int quarterTurns = (int) Math.round(-displayMatrixDegrees / 90.0);
        return Math.floorMod(quarterTurns * 90, 360);
    }
}
