package dev.facerec.recognition;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An immutable 8-bit RGB image, rows top to bottom, pixels interleaved {@code R,G,B}. Alpha is dropped, as the
 * reference decoded its PNGs with pngjs and fed the RGB samples.
 */
public final class RgbImage {

    private final int width;
    private final int height;
    private final byte[] rgb;

    public RgbImage(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("expected " + (long) width * height * 3 + " RGB bytes for " + width + "x"
                + height + ", got " + rgb.length);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb.clone();
    }

    /** Decodes PNG, JPEG, BMP or GIF bytes (whatever ImageIO reads). */
    public static RgbImage decode(byte[] encoded) {
        BufferedImage image;
        // Cached in memory: ImageIO.read(InputStream) would cache the stream in a file under java.io.tmpdir (/tmp).
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded));
        try {
            image = ImageIO.read(in); // closes the stream, unless no reader knows the format
            if (image == null) {
                in.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode image", e);
        }
        if (image == null) {
            throw new IllegalArgumentException("not an image format ImageIO can read (" + encoded.length + " bytes)");
        }
        return fromBufferedImage(image);
    }

    public static RgbImage fromBufferedImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster raster = image.getRaster();
        if (image.getColorModel() instanceof ComponentColorModel && raster.getTransferType() == DataBuffer.TYPE_BYTE) {
            // Raw 8-bit samples, as pngjs gives them: getRGB() would push grey and ICC-tagged images through a colour
            // conversion the reference never did.
            int bands = raster.getNumBands();
            int green = bands < 3 ? 0 : 1; // grey (with or without alpha) repeats its one sample
            int blue = bands < 3 ? 0 : 2;
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                    int p = x * bands;
                    out[o] = (byte) row[p];
                    out[o + 1] = (byte) row[p + green];
                    out[o + 2] = (byte) row[p + blue];
                }
            }
        } else {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
                out[o] = (byte) (argb[i] >> 16);
                out[o + 1] = (byte) (argb[i] >> 8);
                out[o + 2] = (byte) argb[i];
            }
        }
        return new RgbImage(w, h, out);
    }

    /** This image in a border of {@code border} pixels of grey {@code level} on every side. */
    public RgbImage withBorder(int border, int level) {
        int w = width + 2 * border;
        int h = height + 2 * border;
        byte[] out = new byte[w * h * 3];
        java.util.Arrays.fill(out, (byte) level);
        for (int y = 0; y < height; y++) {
            System.arraycopy(rgb, y * width * 3, out, ((y + border) * w + border) * 3, width * 3);
        }
        return new RgbImage(w, h, out);
    }

    /** This image mirrored left to right. */
    public RgbImage mirrored() {
        byte[] out = new byte[rgb.length];
        for (int y = 0; y < height; y++) {
            int row = y * width * 3;
            for (int x = 0; x < width; x++) {
                System.arraycopy(rgb, row + (width - 1 - x) * 3, out, row + x * 3, 3);
            }
        }
        return new RgbImage(width, height, out);
    }

    /**
     * This image with both sides times {@code factor} (rounded, at least 1 pixel), resampled bilinearly as the
     * detector's own resize would.
     */
    public RgbImage scaled(double factor) {
        int w = Math.max(1, (int) Math.round(width * factor));
        int h = Math.max(1, (int) Math.round(height * factor));
        BufferedImage source = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((java.awt.image.DataBufferByte) source.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        BufferedImage target = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = target.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, w, h, null);
        g.dispose();
        return fromBufferedImage(target);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A copy of the interleaved RGB bytes. */
    public byte[] rgb() {
        return rgb.clone();
    }

    /** Sample {@code channel} (0 = R, 1 = G, 2 = B) of pixel ({@code x}, {@code y}), 0..255. */
    public int sample(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xff;
    }
}
