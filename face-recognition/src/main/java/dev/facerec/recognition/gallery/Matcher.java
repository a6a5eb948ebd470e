package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Descriptor;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Nearest enrolled person by Euclidean distance (a person's distance is that of their closest descriptor); a match
 * only within the threshold ({@link #DEFAULT_THRESHOLD} unless told). Immutable and thread-safe.
 */
public final class Matcher {
    /**
     * Calibrated on the development and course sets (docs/QUALITY.md): the closest pair of different people there is
     * 0.572 apart, and 0.55 stays below it while one-shot identification stays at 95 %. dlib's usual 0.6 named no
     * stranger there either, but had pairs of different people within it.
     */
    public static final double DEFAULT_THRESHOLD = 0.55;
    /** The largest threshold; the smallest must be above 0 (none would name nobody). MATCH_THRESHOLD has this range. */
    public static final double MAX_THRESHOLD = 2.0;

    /**
     * Float's relative error on a squared distance of 128 terms is below 128 ulps (8e-6); this is ten times that,
     * so that what the float scan sets aside is further, in exact arithmetic too, than the people it keeps.
     */
    static final float FLOAT_SLACK = 1e-4f;
    /** Large galleries are scanned in chunks of about this many descriptors, in parallel where cores allow. */
    static final int DESCRIPTORS_PER_CHUNK = 1 << 16;

    private final Gallery gallery;
    private final double threshold;

    public Matcher(Gallery gallery, double threshold) {
        this.gallery = gallery;
        this.threshold = checkThreshold(threshold);
    }

    /** The threshold, or {@link IllegalArgumentException} saying the range when it is outside. */
    public static double checkThreshold(double threshold) {
        if (!(threshold > 0 && threshold <= MAX_THRESHOLD)) {
            throw new IllegalArgumentException("must be above 0 and at most " + MAX_THRESHOLD + " (the default is "
                    + DEFAULT_THRESHOLD + "), not " + threshold);
        }
        return threshold;
    }

    public Gallery gallery() {
        return gallery;
    }

    public double threshold() {
        return threshold;
    }

    /**
     * The nearest person and the runner-up, as an exact scan in double precision gives them: the scan runs in float
     * over the gallery's contiguous values, abandoning a descriptor as soon as its partial sum is past the runner-up
     * so far, in chunks on the common pool for large galleries; then every person within float's error of the
     * runner-up is measured again in double, as {@link Descriptor#distanceTo} does, in gallery order. Ties go to the
     * person enrolled first.
     */
    public Match match(Descriptor descriptor) {
        int people = gallery.personCount();
        if (people == 0) {
            return new Match(null, Double.NaN, null, null, false);
        }
        float[] query = descriptor.values();
        float[] nearest = new float[people];
        int chunks = Math.max(1, Math.min(people, gallery.descriptorCount() / DESCRIPTORS_PER_CHUNK));
        float runnerUp = IntStream.range(0, chunks).parallel()
                .mapToObj(c -> scan(query, (int) ((long) people * c / chunks),
                        (int) ((long) people * (c + 1) / chunks), nearest))
                .reduce(Matcher::nearestTwo).orElseThrow()[1];
        float cut = runnerUp * (1 + FLOAT_SLACK) + Float.MIN_NORMAL;

        String best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        String second = null;
        double secondDistance = Double.POSITIVE_INFINITY;
        for (int person = 0; person < people; person++) {
            if (!(nearest[person] <= cut)) {
                continue; // further than two others, in any precision: neither the nearest nor the runner-up
            }
            double distance = exactDistance(descriptor, person);
            if (distance < bestDistance) {
                second = best;
                secondDistance = bestDistance;
                best = gallery.name(person);
                bestDistance = distance;
            } else if (distance < secondDistance) {
                second = gallery.name(person);
                secondDistance = distance;
            }
        }
        return new Match(best, bestDistance, second, second == null ? null : secondDistance,
                bestDistance <= threshold);
    }

    /**
     * People {@code from} to {@code to}: each one's nearest squared distance, in float, into {@code nearest}
     * (+infinity where every descriptor was abandoned); returns the two smallest among them.
     */
    private float[] scan(float[] query, int from, int to, float[] nearest) {
        float[] values = gallery.values();
        float first = Float.POSITIVE_INFINITY;
        float second = Float.POSITIVE_INFINITY;
        for (int person = from; person < to; person++) {
            float own = Float.POSITIVE_INFINITY;
            for (int d = gallery.start(person), end = gallery.start(person + 1); d < end; d++) {
                // Past the runner-up so far (with float's slack), this descriptor cannot matter, nor can its person
                // unless another descriptor of theirs is nearer.
                float bound = Math.min(own, second * (1 + FLOAT_SLACK));
                own = Math.min(own, squaredDistance(query, values, d * Descriptor.LENGTH, bound));
            }
            nearest[person] = own;
            if (own < first) {
                second = first;
                first = own;
            } else if (own < second) {
                second = own;
            }
        }
        return new float[] {first, second};
    }

    /** The two smallest of two chunks' two smallest. */
    private static float[] nearestTwo(float[] a, float[] b) {
        float[] all = {a[0], a[1], b[0], b[1]};
        Arrays.sort(all);
        return new float[] {all[0], all[1]};
    }

    /**
     * The squared distance in float, summed in four lanes and checked against {@code bound} every 32 values (two
     * cache lines); +infinity once past it.
     */
    private static float squaredDistance(float[] query, float[] values, int offset, float bound) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        for (int block = 0; block < Descriptor.LENGTH; block += 32) {
            for (int k = block; k < block + 32; k += 4) {
                float d0 = query[k] - values[offset + k];
                float d1 = query[k + 1] - values[offset + k + 1];
                float d2 = query[k + 2] - values[offset + k + 2];
                float d3 = query[k + 3] - values[offset + k + 3];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            if (s0 + s1 + s2 + s3 > bound) {
                return Float.POSITIVE_INFINITY;
            }
        }
        return s0 + s1 + s2 + s3;
    }

    /** The person's distance exactly as {@link Descriptor#distanceTo} gives it: its nearest descriptor's. */
    private double exactDistance(Descriptor descriptor, int person) {
        float[] values = gallery.values();
        double distance = Double.POSITIVE_INFINITY;
        for (int d = gallery.start(person), end = gallery.start(person + 1); d < end; d++) {
            double sum = 0;
            for (int k = 0, offset = d * Descriptor.LENGTH; k < Descriptor.LENGTH; k++) {
                double difference = (double) descriptor.get(k) - values[offset + k];
                sum += difference * difference;
            }
            distance = Math.min(distance, Math.sqrt(sum));
        }
        return distance;
    }
}
