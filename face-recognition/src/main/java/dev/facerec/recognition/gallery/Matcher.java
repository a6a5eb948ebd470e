package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Descriptor;

/**
 * Nearest enrolled person by Euclidean distance (a person's distance is that of their closest descriptor); a match
 * only within the threshold ({@link #DEFAULT_THRESHOLD} unless told). Immutable and thread-safe.
 */
public final class Matcher {
    /**
     * Calibrated on the development and course sets (docs/QUALITY.md): the closest pair of different people there is
     * 0.585 apart, and 0.55 keeps a margin below it while one-shot identification stays at 95 %. dlib's usual 0.6
     * named no stranger there either, but had one pair of different people within it.
     */
    public static final double DEFAULT_THRESHOLD = 0.55;
    /** The largest threshold; the smallest must be above 0 (none would name nobody). MATCH_THRESHOLD has this range. */
    public static final double MAX_THRESHOLD = 2.0;

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

    public Match match(Descriptor descriptor) {
        String best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        String second = null;
        double secondDistance = Double.POSITIVE_INFINITY;
        for (Person person : gallery.people()) {
            double distance = Double.POSITIVE_INFINITY;
            for (Descriptor enrolled : person.descriptors()) {
                distance = Math.min(distance, descriptor.distanceTo(enrolled));
            }
            if (distance < bestDistance) {
                second = best;
                secondDistance = bestDistance;
                best = person.name();
                bestDistance = distance;
            } else if (distance < secondDistance) {
                second = person.name();
                secondDistance = distance;
            }
        }
        if (best == null) {
            return new Match(null, Double.NaN, null, null, false);
        }
        return new Match(best, bestDistance, second, second == null ? null : secondDistance,
                bestDistance <= threshold);
    }
}
