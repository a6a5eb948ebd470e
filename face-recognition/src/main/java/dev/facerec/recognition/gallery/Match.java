package dev.facerec.recognition.gallery;

/**
 * The gallery's answer for one descriptor: the nearest person and their distance, and the runner-up (the nearest
 * other person), whether or not the nearest is within the threshold. {@code name} is null when the gallery is empty.
 */
public record Match(String name, double distance, String runnerUp, Double runnerUpDistance, boolean matched) {
    /**
     * The distance as a similarity from 1 (the same descriptor) down to 0 (distance {@link Matcher#MAX_THRESHOLD} or
     * more), for readers who expect a score; NaN without a nearest person. The distance is what the threshold applies
     * to.
     */
    public double similarity() {
        return Double.isNaN(distance) ? Double.NaN : Math.max(0, 1 - distance / Matcher.MAX_THRESHOLD);
    }
}
