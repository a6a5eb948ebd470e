package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Descriptor;
import java.util.List;

/**
 * The matcher as it was before galleries were laid out for scale: every person as an object, every descriptor's
 * distance in double, the nearest and the runner-up by a plain loop. {@link Matcher} must answer as this does.
 */
final class ReferenceMatcher {
    private final List<Person> people;
    private final double threshold;

    ReferenceMatcher(Gallery gallery, double threshold) {
        this.people = List.copyOf(gallery.people());
        this.threshold = threshold;
    }

    Match match(Descriptor descriptor) {
        String best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        String second = null;
        double secondDistance = Double.POSITIVE_INFINITY;
        for (Person person : people) {
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
