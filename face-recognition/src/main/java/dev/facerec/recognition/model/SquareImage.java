package dev.facerec.recognition.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.RgbImage;
import java.util.List;

/**
 * A net's square input before normalisation: {@code size x size} RGB floats, HWC, 0..255, made the way face-api's
 * {@code NetInput.toBatchTensor} makes it: pad the region to a square with zeros, then
 * {@code tf.image.resizeBilinear(alignCorners=false, halfPixelCenters=false)}. Done here in Java, in tf.js's
 * arithmetic (double, stored as float32), so the nets see bit-identical inputs.
 */
public final class SquareImage {

    /** Where pad-to-square puts the zeros. */
    public enum Padding {
        /** All after the image (bottom or right): the detector's {@code toBatchTensor(size, false)}. */
        END,
        /** Split, the larger half after: {@code toBatchTensor(size, true)} for the landmark and recognition nets. */
        CENTRED
    }

    /** The mean RGB that face-api subtracts before its landmark and recognition nets (dlib's). */
    static final float[] FACE_MEAN_RGB = {122.782f, 117.001f, 104.298f};

    private final int size;
    private final float[] pixels;

    private SquareImage(int size, float[] pixels) {
        this.size = size;
        this.pixels = pixels;
    }

    /** An already-made input, e.g. a reference tensor: {@code size * size * 3} floats, HWC. */
    public static SquareImage of(int size, float[] hwc) {
        if (hwc.length != size * size * 3) {
            throw new IllegalArgumentException("expected " + size * size * 3 + " floats, got " + hwc.length);
        }
        return new SquareImage(size, hwc.clone());
    }

    /**
     * The whole {@code image}, zero-padded at the bottom or right to a square, resized to {@code size}: the input of
     * face-api's detectors ({@code toBatchTensor(size, false)}).
     */
    public static SquareImage detectorInput(RgbImage image, int size) {
        return fromRegion(image, new Box(0, 0, image.width(), image.height()), size, Padding.END);
    }

    /**
     * How many times larger a {@link #detectorInput} square is than the image in it, per axis (1 along the image's
     * longer side): face-api's {@code inputSize / getReshapedInputDimensions()}, the image's sides rounded to input
     * pixels. A detector's box relative to the square, times this, is relative to the image.
     */
    record PaddingRatio(double x, double y) {
        static PaddingRatio of(int imageWidth, int imageHeight, int size) {
            double scale = (double) size / Math.max(imageWidth, imageHeight);
            return new PaddingRatio((double) size / Math.round(imageWidth * scale),
                (double) size / Math.round(imageHeight * scale));
        }
    }

    /**
     * The integer {@code region} of {@code image} (inside it, e.g. a {@link Box#clipToImage clipped} box), padded to
     * a square and resized to {@code size}.
     */
    public static SquareImage fromRegion(RgbImage image, Box region, int size, Padding padding) {
        int x0 = (int) region.x();
        int y0 = (int) region.y();
        int w = (int) region.width();
        int h = (int) region.height();
        if (x0 != region.x() || y0 != region.y() || w != region.width() || h != region.height()
            || region.isEmpty() || x0 < 0 || y0 < 0 || x0 + w > image.width() || y0 + h > image.height()) {
            throw new IllegalArgumentException(region + " is not an integer region of a "
                + image.width() + "x" + image.height() + " image");
        }
        int side = Math.max(w, h);
        int diff = side - Math.min(w, h);
        // face-api's padToSquare: Math.round(diff * 0.5) after the image, the rest before.
        int before = padding == Padding.CENTRED ? diff - (int) Math.round(diff * 0.5) : 0;
        Taps cols = Taps.of(size, side, x0 - (w < h ? before : 0), x0, w);
        Taps rows = Taps.of(size, side, y0 - (h < w ? before : 0), y0, h);

        float[] out = new float[size * size * 3];
        int i = 0;
        for (int r = 0; r < size; r++) {
            int top = rows.low[r];
            int bottom = rows.high[r];
            double rowFrac = rows.frac[r];
            for (int c = 0; c < size; c++) {
                int left = cols.low[c];
                int right = cols.high[c];
                double colFrac = cols.frac[c];
                for (int ch = 0; ch < 3; ch++) {
                    double topLeft = sample(image, left, top, ch);
                    double topRight = sample(image, right, top, ch);
                    double bottomLeft = sample(image, left, bottom, ch);
                    double bottomRight = sample(image, right, bottom, ch);
                    double upper = topLeft + (topRight - topLeft) * colFrac;
                    double lower = bottomLeft + (bottomRight - bottomLeft) * colFrac;
                    out[i++] = (float) (upper + (lower - upper) * rowFrac);
                }
            }
        }
        return new SquareImage(size, out);
    }

    /** A padding zero where the coordinate is -1, else the image's sample. */
    private static int sample(RgbImage image, int x, int y, int channel) {
        return x < 0 || y < 0 ? 0 : image.sample(x, y, channel);
    }

    /**
     * tf.js's bilinear taps along one axis of the padded square: for each output index the two source coordinates
     * in the image (-1 in the padding) and the weight of the second.
     */
    private record Taps(int[] low, int[] high, double[] frac) {
        static Taps of(int size, int side, int origin, int start, int length) {
            double ratio = (double) side / size;
            int[] low = new int[size];
            int[] high = new int[size];
            double[] frac = new double[size];
            for (int d = 0; d < size; d++) {
                double source = ratio * d;
                int floor = Math.max(0, (int) Math.floor(source));
                frac[d] = source - floor;
                low[d] = imageCoordinate(origin + floor, start, length);
                high[d] = imageCoordinate(origin + Math.min(side - 1, (int) Math.ceil(source)), start, length);
            }
            return new Taps(low, high, frac);
        }

        private static int imageCoordinate(int coordinate, int start, int length) {
            return coordinate < start || coordinate >= start + length ? -1 : coordinate;
        }
    }

    public int size() {
        return size;
    }

    /** A copy of the HWC values. */
    public float[] pixels() {
        return pixels.clone();
    }

    /** What a net does to each value of its input, in float32 as tf.js does it. */
    @FunctionalInterface
    interface Normalisation {
        float apply(float value, int channel);
    }

    /**
     * Stacks inputs of one size into an NCHW batch, normalised as face-api's landmark, recognition and tiny detector
     * nets do: {@code (v - mean) / 255} in float32, one rounding per step as tf.js's {@code sub} then {@code div}.
     */
    static NDArray toBatch(List<SquareImage> inputs, float[] meanRgb, NDManager manager) {
        return toBatch(inputs, (value, channel) -> (value - meanRgb[channel]) / 255f, manager);
    }

    /** Stacks inputs of one size into an NCHW batch, each value normalised by {@code normalisation}. */
    static NDArray toBatch(List<SquareImage> inputs, Normalisation normalisation, NDManager manager) {
        int size = inputs.get(0).size;
        int plane = size * size;
        float[] batch = new float[inputs.size() * 3 * plane];
        for (int n = 0; n < inputs.size(); n++) {
            SquareImage input = inputs.get(n);
            if (input.size != size) {
                throw new IllegalArgumentException("inputs of sizes " + size + " and " + input.size + " in one batch");
            }
            int base = n * 3 * plane;
            for (int p = 0; p < plane; p++) {
                for (int ch = 0; ch < 3; ch++) {
                    batch[base + ch * plane + p] = normalisation.apply(input.pixels[p * 3 + ch], ch);
                }
            }
        }
        return manager.create(batch, new Shape(inputs.size(), 3, size, size));
    }
}
