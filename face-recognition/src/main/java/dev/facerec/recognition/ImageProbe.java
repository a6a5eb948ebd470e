package dev.facerec.recognition;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads an image's size from its header, before anything is decoded: a small file can claim a picture of billions of
 * pixels (a decompression bomb), which is refused here.
 */
public final class ImageProbe {
    /** 8K UHD (7680x4320) and a little more. */
    public static final long MAX_PIXELS = 40_000_000L;
    /** An image file bigger than this is refused before it is read: an 8K JPEG is under 20 MB. */
    public static final long MAX_BYTES = 50L * 1024 * 1024;

    private ImageProbe() {
    }

    /** An image's size in pixels, as its header states it. */
    public record Size(int width, int height) {
        public long pixels() {
            return (long) width * height;
        }
    }

    /** Throws {@link IllegalArgumentException} with the reason when the bytes are not an image of a sane size. */
    public static void check(byte[] encoded) {
        Size size = size(encoded);
        if (size.pixels() > MAX_PIXELS) {
            throw new IllegalArgumentException("the image is " + size.width() + "x" + size.height()
                    + ", above the limit of " + MAX_PIXELS + " pixels");
        }
    }

    /** The size the header states; {@link IllegalArgumentException} when the bytes are not an image ImageIO reads. */
    public static Size size(byte[] encoded) {
        // Cached in memory: ImageIO.createImageInputStream would cache it in a file under java.io.tmpdir (/tmp).
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("not an image format ImageIO can read (" + encoded.length
                        + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new Size(reader.getWidth(0), reader.getHeight(0));
            } catch (RuntimeException e) {
                // A reader's fault on corrupt bytes (a BMP whose palette size is negative throws
                // NegativeArraySizeException): these bytes are not a usable image.
                throw new IllegalArgumentException("the image header cannot be read: " + e, e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the image header cannot be read: " + e.getMessage(), e);
        }
    }
}
