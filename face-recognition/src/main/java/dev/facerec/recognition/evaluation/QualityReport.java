package dev.facerec.recognition.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@link Evaluator} measured, with the protocols of the development set: detection recall and false detections
 * (IoU ≥ 0.3), enrolment per photo, one-shot identification, strangers named (open set), people found in group
 * photos, the genuine and impostor distances, and the course videos. {@link #toMarkdown()} is the text of
 * {@code docs/QUALITY.md}'s figures.
 */
public record QualityReport(String detector, double threshold, DetectionResult detection, EnrolmentResult enrolment,
                            Identification oneShot, OpenSet openSet, GroupResult groups, Distances distances,
                            Identification course, List<SweepRow> sweep, double seconds) {

    /** Hand-drawn boxes found (a detected box with IoU ≥ 0.3), and detected boxes that overlap none. */
    public record DetectionResult(int photos, int boxes, int found, int falseDetections) {
        public double recall() {
            return boxes == 0 ? Double.NaN : (double) found / boxes;
        }

        public double falsePerPhoto() {
            return photos == 0 ? Double.NaN : (double) falseDetections / photos;
        }
    }

    /** Photos that gave a face, people with at least one, and the photos that gave none. */
    public record EnrolmentResult(int photos, int enrolled, int people, int peopleEnrolled, List<String> noFace) {
    }

    /** Probes identified: right, wrong (another person's name), Unknown, NoFace. */
    public record Identification(int probes, int right, int wrong, int unknown, int noFace, List<String> wrongOnes) {
        public double accuracy() {
            return probes == 0 ? Double.NaN : (double) right / probes;
        }
    }

    /** Photos of people not in the gallery that were named anyway, against the course gallery and held out. */
    public record OpenSet(int photosVsCourse, List<String> namedVsCourse, int photosHeldOut, List<String> namedHeldOut) {
        public int strangersNamed() {
            return namedVsCourse.size() + namedHeldOut.size();
        }
    }

    /** The labelled people of the group photos: found among the named faces, and names given to nobody there. */
    public record GroupResult(int photos, int labelled, int found, List<String> missed, List<String> wrongNames) {
    }

    /** Euclidean distances between descriptors of the same person (genuine) and of different people (impostor). */
    public record Distances(List<Double> genuine, List<Double> impostor) {
        public double falseAcceptRate(double threshold) {
            return share(impostor, threshold, true);
        }

        public double falseRejectRate(double threshold) {
            return share(genuine, threshold, false);
        }

        private static double share(List<Double> distances, double threshold, boolean within) {
            if (distances.isEmpty()) {
                return Double.NaN;
            }
            return distances.stream().filter(d -> (d <= threshold) == within).count() / (double) distances.size();
        }
    }

    /** One threshold's one-shot accuracy and strangers named, to choose it by. */
    public record SweepRow(double threshold, double oneShotAccuracy, int strangersNamed, int strangerPhotos) {
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Detector `%s`, threshold %.2f; %.1f s.%n%n", detector, threshold,
                seconds));
        md.append("| measure | result |\n|---|---|\n");
        if (detection.photos() > 0) {
            row(md, "detection: hand-drawn boxes found (IoU ≥ 0.3)", String.format(Locale.ROOT,
                    "%d of %d (%.0f %%)", detection.found(), detection.boxes(), 100 * detection.recall()));
            row(md, "detection: false detections per photo", String.format(Locale.ROOT, "%.2f (%d in %d photos)",
                    detection.falsePerPhoto(), detection.falseDetections(), detection.photos()));
        }
        if (enrolment.photos() > 0) {
            row(md, "enrolment: photos that give a face", enrolment.enrolled() + " of " + enrolment.photos());
            row(md, "enrolment: people enrolled", enrolment.peopleEnrolled() + " of " + enrolment.people());
            identification(md, "one-shot identification", oneShot);
        }
        if (openSet.photosVsCourse() > 0) {
            row(md, "open set: dev photos named against the course gallery",
                    openSet.namedVsCourse().size() + " of " + openSet.photosVsCourse());
        }
        if (openSet.photosHeldOut() > 0) {
            row(md, "open set: photos of a held-out person named",
                    openSet.namedHeldOut().size() + " of " + openSet.photosHeldOut());
        }
        if (groups.photos() > 0) {
            row(md, "groups: labelled people found", groups.found() + " of " + groups.labelled() + " in "
                    + groups.photos() + " photos");
            row(md, "groups: names given to someone not there", Integer.toString(groups.wrongNames().size()));
        }
        if (course.probes() > 0) {
            identification(md, "course videos", course);
        }
        if (!distances.genuine().isEmpty() && !distances.impostor().isEmpty()) {
            row(md, "distances: genuine pairs, median (max)", String.format(Locale.ROOT, "%.3f (%.3f), %d pairs",
                    median(distances.genuine()), max(distances.genuine()), distances.genuine().size()));
            row(md, "distances: impostor pairs, median (min)", String.format(Locale.ROOT, "%.3f (%.3f), %d pairs",
                    median(distances.impostor()), min(distances.impostor()), distances.impostor().size()));
            row(md, "at the threshold: impostor pairs within it / genuine pairs beyond it", String.format(
                    Locale.ROOT, "%.2f %% / %.2f %%", 100 * distances.falseAcceptRate(threshold),
                    100 * distances.falseRejectRate(threshold)));
        }
        if (!sweep.isEmpty()) {
            md.append("\n| threshold | one-shot accuracy | strangers named |\n|---|---|---|\n");
            for (SweepRow r : sweep) {
                md.append(String.format(Locale.ROOT, "| %.2f | %.1f %% | %d of %d |%n", r.threshold(),
                        100 * r.oneShotAccuracy(), r.strangersNamed(), r.strangerPhotos()));
            }
        }
        details(md, "Photos without a face at enrolment", enrolment.noFace());
        details(md, "Wrong one-shot names", oneShot.wrongOnes());
        details(md, "Strangers named against the course gallery", openSet.namedVsCourse());
        details(md, "Held-out people named", openSet.namedHeldOut());
        details(md, "Group photos: labelled people not found", groups.missed());
        details(md, "Group photos: names of people not there", groups.wrongNames());
        details(md, "Wrong course videos", course.wrongOnes());
        return md.toString();
    }

    private static void identification(StringBuilder md, String what, Identification id) {
        row(md, what, String.format(Locale.ROOT, "%d of %d right (%.1f %%); wrong %d, Unknown %d, NoFace %d",
                id.right(), id.probes(), 100 * id.accuracy(), id.wrong(), id.unknown(), id.noFace()));
    }

    private static void row(StringBuilder md, String measure, String result) {
        md.append("| ").append(measure).append(" | ").append(result).append(" |\n");
    }

    private static void details(StringBuilder md, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            md.append("\n").append(title).append(":\n")
                    .append(lines.stream().map(l -> "- " + l).collect(Collectors.joining("\n"))).append("\n");
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
