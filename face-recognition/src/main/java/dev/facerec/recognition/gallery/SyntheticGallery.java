package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Descriptor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A large gallery for measuring scale, made from a real one: each synthetic person is a mix of three of the real
 * descriptors with random weights, moved by a Gaussian offset of their own (about 0.7 in all, a stranger's distance);
 * each of their descriptors is that point perturbed by a smaller Gaussian noise (about 0.35 between two of them, as
 * between two photos of one person). A descriptor that comes out nearer than {@link #MIN_DISTANCE_TO_REAL} to any
 * real one is drawn again, so that the real people's faces still find the real people first: the synthetic people are
 * strangers, crowding the space around them. Deterministic for a seed; made for a real gallery of a few dozen
 * descriptors (each synthetic one is compared with every real one).
 */
public final class SyntheticGallery {
    /** Nearer than this to a real descriptor, a synthetic one would be a look-alike of a real person. */
    public static final double MIN_DISTANCE_TO_REAL = 0.6;
    /** Per value: how far a synthetic person is moved from their mix of real ones. */
    static final double PERSON_SPREAD = 0.06;
    /** Per value: the spread of one synthetic person's descriptors around their point. */
    static final double NOISE = 0.022;
    private static final int MAX_DRAWS = 1000;
    private static final int MIXED = 3;

    private SyntheticGallery() {
    }

    /**
     * {@code real}'s people first, then {@code people} synthetic ones ({@code synthetic-0000001}, ...) of
     * {@code descriptorsEach} descriptors each.
     */
    public static Gallery extend(Gallery real, int people, int descriptorsEach, long seed) {
        if (people < 0 || descriptorsEach < 1) {
            throw new IllegalArgumentException("people >= 0 and descriptors each >= 1, not " + people + " and "
                    + descriptorsEach);
        }
        if ((long) real.descriptorCount() + (long) people * descriptorsEach > Gallery.MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("a gallery holds at most " + Gallery.MAX_DESCRIPTORS + " descriptors");
        }
        float[] base = real.values();
        int bases = real.descriptorCount();
        Gallery.Builder builder = new Gallery.Builder(real.model(), real.descriptorSize(),
                real.personCount() + people, bases + people * descriptorsEach);
        real.people().forEach(builder::add);
        SplittableRandom random = new SplittableRandom(seed);
        float[] mix = new float[Descriptor.LENGTH];
        float[] values = new float[descriptorsEach * Descriptor.LENGTH];
        for (int p = 0; p < people; p++) {
            for (int draws = 1; !draw(base, bases, random, mix, values, descriptorsEach); draws++) {
                if (draws == MAX_DRAWS) {
                    throw new IllegalStateException("no synthetic person " + MIN_DISTANCE_TO_REAL
                            + " away from the real ones in " + MAX_DRAWS + " draws");
                }
            }
            builder.add(String.format("synthetic-%07d", p + 1), values, descriptorsEach);
        }
        return builder.build();
    }

    /** One synthetic person into {@code values}; false when a descriptor came out too near a real one. */
    private static boolean draw(float[] base, int bases, SplittableRandom random, float[] mix, float[] values,
                                int descriptorsEach) {
        mix(base, bases, random, mix);
        for (int k = 0; k < Descriptor.LENGTH; k++) {
            mix[k] += (float) (random.nextGaussian() * PERSON_SPREAD);
        }
        for (int d = 0; d < descriptorsEach; d++) {
            for (int k = 0; k < Descriptor.LENGTH; k++) {
                values[d * Descriptor.LENGTH + k] = (float) (mix[k] + random.nextGaussian() * NOISE);
            }
            if (nearestReal(base, bases, values, d * Descriptor.LENGTH) < MIN_DISTANCE_TO_REAL) {
                return false;
            }
        }
        return true;
    }

    private static void mix(float[] base, int bases, SplittableRandom random, float[] mix) {
        Arrays.fill(mix, 0);
        double[] weights = new double[MIXED];
        double sum = 0;
        for (int i = 0; i < MIXED; i++) {
            weights[i] = random.nextDouble(0.1, 1);
            sum += weights[i];
        }
        for (int i = 0; i < MIXED; i++) {
            int from = random.nextInt(bases) * Descriptor.LENGTH;
            for (int k = 0; k < Descriptor.LENGTH; k++) {
                mix[k] += (float) (weights[i] / sum * base[from + k]);
            }
        }
    }

    private static double nearestReal(float[] base, int bases, float[] values, int offset) {
        double nearest = Double.POSITIVE_INFINITY;
        for (int b = 0; b < bases; b++) {
            double sum = 0;
            for (int k = 0; k < Descriptor.LENGTH; k++) {
                double difference = (double) values[offset + k] - base[b * Descriptor.LENGTH + k];
                sum += difference * difference;
            }
            nearest = Math.min(nearest, sum);
        }
        return Math.sqrt(nearest);
    }
}
