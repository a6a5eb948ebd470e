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
     * Copies the decoder's buffer (reused by the next decode) into a packed BGR image, upright. The pixels go straight
     * into the image's own array, turned as they are copied: one image of 8K (100 MB) is what the splitter's heap
     * affords; only a picture widened by its pixel aspect ratio needs a second. The caller bounds {@code pixelAspect}.
     */
    static BufferedImage of(ByteBuffer pixels, int width, int height, int stride, double pixelAspect, int rotation) {
        int displayWidth = displayWidth(width, pixelAspect);
        if (displayWidth == width) {
            return turned(pixels, width, height, stride, rotation);
        }
        BufferedImage widened = resize(turned(pixels, width, height, stride, 0), displayWidth, height);
        return rotation == 0 ? widened
                : turned(ByteBuffer.wrap(bytes(widened)), displayWidth, height, displayWidth * 3, rotation);
    }

    /** The width a viewer sees, at least one pixel. */
    static int displayWidth(int codedWidth, double pixelAspect) {
        return pixelAspect > 0 && Math.abs(pixelAspect - 1) > 1e-3
                ? (int) Math.max(1, Math.round(codedWidth * pixelAspect)) : codedWidth;
    }

    private static BufferedImage resize(BufferedImage image, int width, int height) {
        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return resized;
    }

    /**
     * A new image of the BGR picture in {@code pixels} ({@code stride} bytes a row) turned clockwise by 0, 90, 180 or
     * 270 degrees, pixel by pixel (exact, no resampling), read a row at a time.
     */
    static BufferedImage turned(ByteBuffer pixels, int w, int h, int stride, int clockwiseDegrees) {
        boolean quarter = clockwiseDegrees == 90 || clockwiseDegrees == 270;
        int outW = quarter ? h : w;
        int outH = quarter ? w : h;
        BufferedImage image = new BufferedImage(outW, outH, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = bytes(image);
        ByteBuffer source = pixels.duplicate();
        if (clockwiseDegrees == 0) {
            for (int y = 0; y < h; y++) {
                source.position(y * stride);
                source.get(dst, y * w * 3, w * 3);
            }
            return image;
        }
        byte[] row = new byte[w * 3];
        for (int sy = 0; sy < h; sy++) {
            source.position(sy * stride);
            source.get(row);
            for (int sx = 0; sx < w; sx++) {
                int x; // where the stored pixel (sx, sy) lands
                int y;
                switch (clockwiseDegrees) {
                    case 90 -> { x = h - 1 - sy; y = sx; }
                    case 180 -> { x = w - 1 - sx; y = h - 1 - sy; }
                    default -> { x = sy; y = w - 1 - sx; } // 270
                }
                int s = sx * 3;
                int d = (y * outW + x) * 3;
                dst[d] = row[s];
                dst[d + 1] = row[s + 1];
                dst[d + 2] = row[s + 2];
            }
        }
        return image;
    }

    private static byte[] bytes(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
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
