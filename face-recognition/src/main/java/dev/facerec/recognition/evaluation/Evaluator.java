package dev.facerec.recognition.evaluation;

import dev.facerec.common.Outcome;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.Face;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.Recognizer;
import dev.facerec.recognition.Recognizer.Recognition;
import dev.facerec.recognition.Recognizer.RecognizedFace;
import dev.facerec.recognition.RgbImage;
import dev.facerec.recognition.evaluation.DevSet.Identity;
import dev.facerec.recognition.evaluation.QualityReport.Distances;
import dev.facerec.recognition.evaluation.QualityReport.Identification;
import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.Matcher;
import dev.facerec.recognition.gallery.Person;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Measures the recogniser on labelled photos with the production code path: every photo analysed once by the
 * {@link FaceAnalyzer}, enrolled with {@link Enroller}'s rule (the largest face), identified with
 * {@link Recognizer}'s outcome rule and a {@link Matcher} at the threshold. See {@link QualityReport} for what is
 * measured, and the development set's README for the protocols.
 */
public final class Evaluator {
    private final FaceAnalyzer analyzer;
    private final String detector;
    private final Map<Path, List<Face>> faces = new HashMap<>();

    public Evaluator(FaceAnalyzer analyzer, String detector) {
        this.analyzer = analyzer;
        this.detector = detector;
    }

    /**
     * @param course       the course gallery's people (may be empty): enrolled from all their photos, as
     *                     {@code faas enroll} does, for the open set and the course frames
     * @param courseFrames frames of the course videos, with their expected names (may be empty)
     * @param sweep        thresholds to report one-shot accuracy and strangers named at, besides {@code threshold}
     */
    public QualityReport evaluate(DevSet dev, List<Identity> course, List<LabelledFrame> courseFrames,
                                  double threshold, List<Double> sweep) {
        long start = System.nanoTime();
        Gallery courseGallery = course.isEmpty() ? null : enrolAll(course);
        Gallery oneShot = oneShotGallery(dev.identities());
        QualityReport.DetectionResult detection = detection(dev.detection());
        QualityReport.EnrolmentResult enrolment = enrolment(dev.identities());
        Identification identification = oneShot(dev.identities(), oneShot, threshold);
        QualityReport.OpenSet openSet = openSet(dev.identities(), oneShot, courseGallery, threshold);
        QualityReport.GroupResult groups = groups(dev.groups(), oneShot, threshold);
        Distances distances = distances(dev.identities(), course);
        Identification courseResult = courseFrames(courseFrames, courseGallery, threshold);
        List<QualityReport.SweepRow> rows = new ArrayList<>();
        for (double t : sweep) {
            QualityReport.OpenSet strangers = openSet(dev.identities(), oneShot, courseGallery, t);
            rows.add(new QualityReport.SweepRow(t, oneShot(dev.identities(), oneShot, t).accuracy(),
                    strangers.strangersNamed(), strangers.photosVsCourse() + strangers.photosHeldOut()));
        }
        return new QualityReport(detector, threshold, detection, enrolment, identification, openSet, groups,
                distances, courseResult, rows, (System.nanoTime() - start) / 1e9);
    }

    /** Every face of a photo, found once and kept. */
    private List<Face> facesOf(Path photo) {
        return faces.computeIfAbsent(photo, p -> {
            try {
                return analyzer.analyze(RgbImage.decode(Files.readAllBytes(p)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        });
    }

    private Optional<Descriptor> enrolled(String person, Path photo) {
        return Enroller.enrollFaces(person, photo, facesOf(photo)).descriptor();
    }

    private QualityReport.DetectionResult detection(List<DevSet.BoxedPhoto> photos) {
        int boxes = 0;
        int found = 0;
        int falseDetections = 0;
        for (DevSet.BoxedPhoto photo : photos) {
            List<Box> detected = new ArrayList<>(facesOf(photo.photo()).stream().map(f -> f.detection().box())
                    .toList());
            boxes += photo.faces().size();
            // Each hand-drawn box takes the detected box that overlaps it most, and no box counts twice.
            for (Box truth : photo.faces()) {
                Optional<Box> best = detected.stream().filter(d -> d.iou(truth) >= 0.3)
                        .max(Comparator.comparingDouble(d -> d.iou(truth)));
                if (best.isPresent()) {
                    found++;
                    detected.remove(best.get());
                }
            }
            falseDetections += (int) detected.stream()
                    .filter(d -> photo.faces().stream().noneMatch(truth -> d.iou(truth) >= 0.3)).count();
        }
        return new QualityReport.DetectionResult(photos.size(), boxes, found, falseDetections);
    }

    private QualityReport.EnrolmentResult enrolment(List<Identity> identities) {
        int photos = 0;
        int enrolled = 0;
        int people = 0;
        List<String> noFace = new ArrayList<>();
        for (Identity identity : identities) {
            boolean any = false;
            for (Path photo : identity.photos()) {
                photos++;
                if (enrolled(identity.name(), photo).isPresent()) {
                    enrolled++;
                    any = true;
                } else {
                    noFace.add(label(photo));
                }
            }
            people += any ? 1 : 0;
        }
        return new QualityReport.EnrolmentResult(photos, enrolled, identities.size(), people, noFace);
    }

    /** Each identity's first photo (in name order), when it gives a face. */
    private Gallery oneShotGallery(List<Identity> identities) {
        List<Person> people = new ArrayList<>();
        for (Identity identity : identities) {
            enrolled(identity.name(), identity.photos().get(0))
                    .ifPresent(d -> people.add(new Person(identity.name(), List.of(d))));
        }
        return people.isEmpty() ? null : Gallery.of(people);
    }

    private Gallery enrolAll(List<Identity> identities) {
        List<Person> people = new ArrayList<>();
        for (Identity identity : identities) {
            List<Descriptor> descriptors = identity.photos().stream()
                    .flatMap(photo -> enrolled(identity.name(), photo).stream()).toList();
            if (!descriptors.isEmpty()) {
                people.add(new Person(identity.name(), descriptors));
            }
        }
        return people.isEmpty() ? null : Gallery.of(people);
    }

    /** Every photo but the first of each identity, identified against the first photos. */
    private Identification oneShot(List<Identity> identities, Gallery gallery, double threshold) {
        Tally tally = new Tally();
        for (Identity identity : identities) {
            for (Path probe : identity.photos().subList(1, identity.photos().size())) {
                String outcome = gallery == null ? (facesOf(probe).isEmpty() ? Outcome.NO_FACE : Outcome.UNKNOWN)
                        : identify(probe, gallery, threshold).outcome();
                tally.add(label(probe), identity.name(), outcome);
            }
        }
        return tally.result();
    }

    private QualityReport.OpenSet openSet(List<Identity> identities, Gallery oneShot, Gallery course,
                                          double threshold) {
        int vsCourse = 0;
        List<String> namedVsCourse = new ArrayList<>();
        int heldOut = 0;
        List<String> namedHeldOut = new ArrayList<>();
        for (Identity identity : identities) {
            Gallery others = oneShot == null ? null : without(oneShot, identity.name());
            for (Path photo : identity.photos()) {
                if (course != null) {
                    vsCourse++;
                    named(photo, course, threshold).ifPresent(name -> namedVsCourse.add(label(photo) + " as " + name));
                }
                if (others != null) {
                    heldOut++;
                    named(photo, others, threshold).ifPresent(name -> namedHeldOut.add(label(photo) + " as " + name));
                }
            }
        }
        return new QualityReport.OpenSet(vsCourse, namedVsCourse, heldOut, namedHeldOut);
    }

    private Optional<String> named(Path photo, Gallery gallery, double threshold) {
        Recognition recognition = identify(photo, gallery, threshold);
        if (recognition.primary() < 0 || !recognition.faces().get(recognition.primary()).match().matched()) {
            return Optional.empty();
        }
        RecognizedFace face = recognition.faces().get(recognition.primary());
        return Optional.of(String.format(Locale.ROOT, "%s (%.3f)", face.match().name(), face.match().distance()));
    }

    private QualityReport.GroupResult groups(List<DevSet.LabelledGroup> groups, Gallery oneShot,
                                             double threshold) {
        int labelled = 0;
        int found = 0;
        List<String> missed = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (DevSet.LabelledGroup group : groups) {
            Set<String> named = new LinkedHashSet<>();
            if (oneShot != null) {
                identify(group.photo(), oneShot, threshold).faces().stream().filter(f -> f.match().matched())
                        .forEach(f -> named.add(f.match().name()));
            }
            labelled += group.people().size();
            for (String person : group.people()) {
                if (named.contains(person)) {
                    found++;
                } else {
                    missed.add(label(group.photo()) + ": " + person);
                }
            }
            named.stream().filter(name -> !group.people().contains(name))
                    .forEach(name -> wrong.add(label(group.photo()) + ": " + name));
        }
        return new QualityReport.GroupResult(groups.size(), labelled, found, missed, wrong);
    }

    /** All pairs of enrolment descriptors: of one person (genuine), of two people (impostor). */
    private Distances distances(List<Identity> dev, List<Identity> course) {
        List<String> names = new ArrayList<>();
        List<Descriptor> descriptors = new ArrayList<>();
        for (List<Identity> set : List.of(dev, course)) {
            for (Identity identity : set) {
                for (Path photo : identity.photos()) {
                    enrolled(identity.name(), photo).ifPresent(d -> {
                        names.add(identity.name());
                        descriptors.add(d);
                    });
                }
            }
        }
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (int i = 0; i < descriptors.size(); i++) {
            for (int j = i + 1; j < descriptors.size(); j++) {
                double distance = descriptors.get(i).distanceTo(descriptors.get(j));
                (names.get(i).equals(names.get(j)) ? genuine : impostor).add(distance);
            }
        }
        return new Distances(genuine, impostor);
    }

    private Identification courseFrames(List<LabelledFrame> frames, Gallery course, double threshold) {
        Tally tally = new Tally();
        if (course == null) {
            return tally.result();
        }
        Matcher matcher = new Matcher(course, threshold);
        for (LabelledFrame frame : frames) {
            List<Face> found = analyzer.analyze(RgbImage.decode(frame.image()));
            tally.add(frame.source(), frame.expected(), Recognizer.identify(found, matcher).outcome());
        }
        return tally.result();
    }

    private Recognition identify(Path photo, Gallery gallery, double threshold) {
        return Recognizer.identify(facesOf(photo), new Matcher(gallery, threshold));
    }

    /** {@code <folder>/<file>}: enough to find a photo of a labelled set. */
    static String label(Path photo) {
        Path folder = photo.getParent();
        return (folder == null ? "" : folder.getFileName() + "/") + photo.getFileName();
    }

    private static Gallery without(Gallery gallery, String name) {
        List<Person> others = gallery.people().stream().filter(p -> !p.name().equals(name)).toList();
        return others.isEmpty() ? null : Gallery.of(others);
    }

    /** Counts outcomes against the expected name. */
    private static final class Tally {
        private int probes;
        private int right;
        private int wrong;
        private int unknown;
        private int noFace;
        private final List<String> wrongOnes = new ArrayList<>();

        void add(String source, String expected, String outcome) {
            probes++;
            if (outcome.equals(expected)) {
                right++;
            } else if (Outcome.UNKNOWN.equals(outcome)) {
                unknown++;
            } else if (Outcome.NO_FACE.equals(outcome)) {
                noFace++;
            } else {
                wrong++;
                wrongOnes.add(source + ": " + outcome + " instead of " + expected);
            }
        }

        Identification result() {
            return new Identification(probes, right, wrong, unknown, noFace, List.copyOf(wrongOnes));
        }
    }
}
