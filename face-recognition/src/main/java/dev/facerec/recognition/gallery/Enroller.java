package dev.facerec.recognition.gallery;

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
import java.util.stream.Stream;

/**
 * Builds a gallery from a photos folder laid out as {@code DIR/<Name>/*.{jpg,jpeg,png}}: the largest face of each
 * photo is that person's. A photo without a face, or that cannot be read, is reported and skipped.
 */
public final class Enroller {

    /** What became of one photo: its descriptor, or why it was skipped. */
    public record PhotoResult(String person, Path photo, Optional<Descriptor> descriptor, String problem) {
        public boolean enrolled() {
            return descriptor.isPresent();
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
            for (Path photo : sorted(folder, Enroller::isPhoto)) {
                PhotoResult result = enrollPhoto(name, photo);
                results.add(result);
                result.descriptor().ifPresent(descriptors::add);
            }
            if (!descriptors.isEmpty()) {
                people.add(new Person(name, descriptors));
            }
        }
        if (people.isEmpty()) {
            throw new IOException("no face enrolled from " + photos + " (expected " + photos
                    + "/<Name>/*.jpg|jpeg|png)");
        }
        return new Enrollment(Gallery.of(people), results);
    }

    /** One photo of {@code person}: the descriptor of its largest face, or why there is none. */
    public PhotoResult enrollPhoto(String person, Path photo) {
        try {
            return enrollFaces(person, photo, analyzer.analyze(RgbImage.decode(Files.readAllBytes(photo))));
        } catch (IOException | RuntimeException e) {
            return new PhotoResult(person, photo, Optional.empty(), "cannot read the image: " + e.getMessage());
        }
    }

    /** The enrolment rule on the faces already found in {@code photo}: the largest is the person's. */
    public static PhotoResult enrollFaces(String person, Path photo, List<Face> faces) {
        return faces.stream().max(Comparator.comparingDouble(f -> f.detection().box().area()))
                .map(f -> new PhotoResult(person, photo, Optional.of(f.descriptor()), null))
                .orElseGet(() -> new PhotoResult(person, photo, Optional.empty(), "no face found"));
    }

    /** A JPEG or PNG file, by its name. */
    public static boolean isPhoto(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(path) && (name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png"));
    }

    private static List<Path> sorted(Path folder, java.util.function.Predicate<Path> filter) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(filter).sorted().toList();
        }
    }
}
