package dev.facerec.recognition;

import java.util.Arrays;

/**
 * The 128-d face descriptor of FaceRecognitionNet (not L2-normalised, as face-api). Two crops of the same person lie
 * closer than about 0.6 in Euclidean distance (dlib's usual threshold).
 */
public final class Descriptor {

    public static final int LENGTH = 128;

    private final float[] values;

    public Descriptor(float[] values) {
        if (values.length != LENGTH) {
            throw new IllegalArgumentException("a descriptor has " + LENGTH + " values, got " + values.length);
        }
        checkFinite(values, 0, LENGTH);
        this.values = values.clone();
    }

    /**
     * {@link IllegalArgumentException} when a value of {@code values[from..to)} (whole descriptors, one after
     * another) is not finite: one NaN would put the person at distance NaN from every face, never matched again,
     * silently.
     */
    public static void checkFinite(float[] values, int from, int to) {
        int bad = firstNonFinite(values, from, to);
        if (bad >= 0) {
            throw new IllegalArgumentException("descriptor value " + (bad - from) % LENGTH + " is " + values[bad]
                    + ": a descriptor holds finite numbers only");
        }
    }

    /** The index of the first value of {@code values[from..to)} that is not finite, or -1. */
    public static int firstNonFinite(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    public float[] values() {
        return values.clone();
    }

    public float get(int index) {
        return values[index];
    }

    public double distanceTo(Descriptor other) {
        double sum = 0;
        for (int i = 0; i < LENGTH; i++) {
            double d = (double) values[i] - other.values[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Descriptor other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Descriptor" + Arrays.toString(Arrays.copyOf(values, 4)).replace("]", ", ...]");
    }
}
