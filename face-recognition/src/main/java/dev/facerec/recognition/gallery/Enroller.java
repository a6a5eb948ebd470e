package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Box;
import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.Face;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Builds a gallery from a photos folder laid out as {@code DIR/<Name>/*.{jpg,jpeg,png}}: each photo gives its
 * person one descriptor, of its one face or of a face clearly larger than the others, when that face is large and
 * sharp enough. Every other photo is skipped with the reason ({@link Verdict}), and the gallery keeps the photo each
 * descriptor came from.
 */
public final class Enroller {

    /**
     * The smallest side, in pixels, of the face box a descriptor is taken from. The nets read a face at 112 px
     * (landmarks) and 150 px (descriptor): a 40 px face reaches them scaled up 2.8 and 3.75 times. Measured on the
     * faces of the sample, course and development photos scaled down and found again (tiny-search), the descriptor
     * moved from the full-size one by a median of 0.13 at 100 px (97 faces), 0.28 at 40 px (65), 0.32 at 36 px and
     * 0.37 at 30 px, where 22 of 53 moved more than 0.4 (of a 0.6 match threshold); at 40 px, 5 of 65 did.
     */
    public static final int MIN_FACE_SIDE = 40;
    /**
     * A second face with at least this share of the largest face's area makes the photo ambiguous: enrolling the
     * wrong person is worse than enrolling nobody. Measured (tiny-search): in photos of one person before others the
     * next face has 0.31 (sample4.jpg), 0.38 (sample5), 0.58 (sample2) and 0.64 (bbt1) of the largest's area; in
     * rows of people side by side, 0.86 to 1.0 (sample1, sample3, sample6, bbt2 to bbt5). The course photos have one
     * face each, but haar's false boxes beside a face reach 0.78 of it (Bean_f26.jpg).
     */
    public static final double AMBIGUOUS_AREA_SHARE = 0.8;
    /**
     * The least {@link Sharpness} of a face to enrol. Measured on the largest face of each photo: the development
     * crops' least sharp measure 47 with tiny-search and 38 with haar (soft, low-resolution crops of dlib's johns),
     * the course photos 61 and up, the group and sample photos 98 and up; none is under 20 with any detector. The
     * same faces blurred with a Gaussian of 1% of the face's width (descriptors moved a median 0.20) measure a median
     * 41, 8 of 71 under 20; of 1.5% (moved 0.31), a median 16, 33 of 47 under 20; of 2% (moved 0.39), a median 8,
     * 33 of 36 under 20. 20 leaves the least sharp real photo about twice the cut-off and refuses strong blurs.
     */
    public static final double MIN_SHARPNESS = 20;

    /** What became of one photo. */
    public enum Verdict {
        USED, SKIPPED_NO_FACE, SKIPPED_AMBIGUOUS, SKIPPED_TOO_SMALL, SKIPPED_BLURRED, SKIPPED_UNREADABLE;

        public boolean used() {
            return this == USED;
        }
    }

    /**
     * What became of one photo: its descriptor, or why it was skipped.
     *
     * @param source  the photo relative to the photos folder, {@code <Name>/<file>}, as the gallery keeps it
     * @param faces   how many faces the detector found in it (0 when it could not be read)
     * @param message for a used photo, which face was taken ({@code the only face, 140x138 px}); for a skipped one,
     *                why
     */
    public record PhotoResult(String person, Path photo, String source, Verdict verdict,
                              Optional<Descriptor> descriptor, int faces, String message) {
        public PhotoResult {
            if (verdict.used() != descriptor.isPresent()) {
                throw new IllegalArgumentException(verdict + " with" + (descriptor.isPresent() ? "" : "out")
                        + " a descriptor");
            }
        }

        public boolean enrolled() {
            return verdict.used();
        }
    }

    /** The gallery and the story of every photo. */
    public record Enrollment(Gallery gallery, List<PhotoResult> photos) {
        public List<PhotoResult> skipped() {
            return photos.stream().filter(p -> !p.enrolled()).toList();
        }
    }

    private final FaceAnalyzer analyzer;

    public Enroller(FaceAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    public Enrollment enroll(Path photos) throws IOException {
        if (!Files.isDirectory(photos)) {
            throw new IOException("photos folder not found: " + photos);
        }
        List<PhotoResult> results = new ArrayList<>();
        List<Person> people = new ArrayList<>();
        for (Path folder : sorted(photos, Files::isDirectory)) {
            String name = folder.getFileName().toString();
            List<Descriptor> descriptors = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            for (Path photo : sorted(folder, Enroller::isPhoto)) {
                PhotoResult result = enrollPhoto(name, photo);
                results.add(result);
                result.descriptor().ifPresent(d -> {
                    descriptors.add(d);
                    sources.add(result.source());
                });
            }
            if (!descriptors.isEmpty()) {
                people.add(new Person(name, descriptors, sources));
            }
        }
        if (people.isEmpty()) {
            throw new IOException("no face enrolled from " + photos + " (expected " + photos
                    + "/<Name>/*.jpg|jpeg|png)");
        }
        return new Enrollment(Gallery.of(people), results);
    }

    /** One photo of {@code person}: the descriptor of its face, or why there is none. */
    public PhotoResult enrollPhoto(String person, Path photo) {
        RgbImage image;
        List<Face> faces;
        try {
            image = RgbImage.decode(Files.readAllBytes(photo));
            faces = analyzer.analyze(image);
        } catch (IOException | RuntimeException e) {
            return skipped(person, photo, Verdict.SKIPPED_UNREADABLE, 0, "cannot read the image: " + e.getMessage());
        }
        return enrollFaces(person, photo, image, faces);
    }

    /**
     * The enrolment rule on the faces already found in {@code image}, the picture of {@code photo}: no face, or a
     * largest face under {@link #MIN_FACE_SIDE}, or a second face of {@link #AMBIGUOUS_AREA_SHARE} of its area or
     * more, or a largest face under {@link #MIN_SHARPNESS}, and the photo is skipped; otherwise its largest face is
     * the person's.
     */
    public static PhotoResult enrollFaces(String person, Path photo, RgbImage image, List<Face> faces) {
        return judge(person, photo, Optional.of(image), faces);
    }

    /** {@link #enrollFaces(String, Path, RgbImage, List)} without the picture: every rule but sharpness. */
    public static PhotoResult enrollFaces(String person, Path photo, List<Face> faces) {
        return judge(person, photo, Optional.empty(), faces);
    }

    private static PhotoResult judge(String person, Path photo, Optional<RgbImage> image, List<Face> faces) {
        if (faces.isEmpty()) {
            return skipped(person, photo, Verdict.SKIPPED_NO_FACE, 0, "no face found");
        }
        List<Face> bySize = faces.stream()
                .sorted(Comparator.comparingDouble((Face f) -> f.detection().box().area()).reversed()).toList();
        Face largest = bySize.get(0);
        Box box = largest.detection().box();
        int n = faces.size();
        if (Math.min(box.width(), box.height()) < MIN_FACE_SIDE) {
            return skipped(person, photo, Verdict.SKIPPED_TOO_SMALL, n, (n == 1 ? "the face is " + size(box)
                    : "the largest of " + n + " faces is " + size(box)) + ", under the " + MIN_FACE_SIDE
                    + " px a face needs: use a photo where the face is larger");
        }
        if (n > 1) {
            Box next = bySize.get(1).detection().box();
            double share = next.area() / box.area();
            if (share >= AMBIGUOUS_AREA_SHARE) {
                return skipped(person, photo, Verdict.SKIPPED_AMBIGUOUS, n, n + " faces of similar size: the "
                        + "largest " + sizeAt(box) + ", the next " + sizeAt(next) + " with " + percent(share)
                        + " of its area (" + percent(AMBIGUOUS_AREA_SHARE) + " or more is too close to tell which "
                        + "is " + person + "): crop the photo to " + person + "'s face");
            }
        }
        if (image.isPresent()) {
            double sharpness = Sharpness.of(image.get(), box);
            if (sharpness < MIN_SHARPNESS) {
                return skipped(person, photo, Verdict.SKIPPED_BLURRED, n, (n == 1 ? "the face" : "the largest face")
                        + " (" + size(box) + ") is too blurred: sharpness " + format(sharpness) + ", under "
                        + format(MIN_SHARPNESS) + ": use a sharper photo");
            }
        }
        String which;
        if (n == 1) {
            which = "the only face, " + size(box);
        } else {
            Box next = bySize.get(1).detection().box();
            which = "the largest of " + n + " faces, " + sizeAt(box) + ", with "
                    + String.format(Locale.ROOT, "%.0f%%", 100 * (box.area() / next.area() - 1))
                    + " more area than the next (" + sizeAt(next) + ")";
        }
        return new PhotoResult(person, photo, source(person, photo), Verdict.USED, Optional.of(largest.descriptor()),
                n, which);
    }

    private static PhotoResult skipped(String person, Path photo, Verdict verdict, int faces, String why) {
        return new PhotoResult(person, photo, source(person, photo), verdict, Optional.empty(), faces, why);
    }

    /** {@code <Name>/<file>}: the photo relative to the photos folder, '/' between, whatever the system's. */
    private static String source(String person, Path photo) {
        return person + "/" + photo.getFileName();
    }

    private static String size(Box box) {
        return String.format(Locale.ROOT, "%.0fx%.0f px", box.width(), box.height());
    }

    private static String sizeAt(Box box) {
        return String.format(Locale.ROOT, "%.0fx%.0f px at (%.0f,%.0f)", box.width(), box.height(), box.x(), box.y());
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    /** A JPEG or PNG file, by its name. */
    public static boolean isPhoto(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(path) && (name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png"));
    }

    private static List<Path> sorted(Path folder, Predicate<Path> filter) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(filter).sorted().toList();
        }
    }
}
