package dev.facerec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryFiles;
import dev.facerec.recognition.gallery.Match;
import dev.facerec.recognition.gallery.Matcher;
import dev.facerec.recognition.gallery.Person;
import dev.facerec.recognition.gallery.SyntheticGallery;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code faas bench --gallery-size N,...}: for each N, a gallery of the real one plus synthetic people
 * ({@link SyntheticGallery}, two descriptors each) up to N descriptors, written in the chosen format; then, in a JVM
 * of its own (so that its peak RSS is the gallery's alone), the time to load that file and the time to match one face
 * against it, over faces enrolled (each moved a little, as another photo of them) and strangers.
 */
final class GalleryScaleBench {
    static final int FACES = 200;
    private static final int WARM_UP = 20;
    private static final long SEED = 20261202;

    private GalleryScaleBench() {
    }

    /** Runs the sizes, prints one line each, returns the rows (for --json). */
    static List<Map<String, Object>> run(Gallery real, List<Integer> sizes, GalleryFiles.Format format,
                                         PrintWriter out) throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory("faas-gallery-bench");
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            Path faces = scratch.resolve("faces.gallery");
            out.printf(Locale.ROOT, "%10s %9s %9s %9s %10s %10s %10s%n", "descriptors", "people", "file MB",
                    "load s", "match ms", "p90 ms", "peak RSS MB");
            for (int size : sizes) {
                int synthetic = Math.max(0, (size - real.descriptorCount()) / 2);
                Gallery gallery = SyntheticGallery.extend(real, synthetic, 2, SEED);
                Path file = scratch.resolve("gallery-" + size + (format == GalleryFiles.Format.JSON ? ".json"
                        : ".gallery"));
                GalleryFiles.write(gallery, file);
                GalleryFiles.write(faces(gallery, real, FACES), faces);
                long bytes = Files.size(file);
                gallery = null;
                System.gc(); // the child measures: this JVM's collector must not be at work on the cores meanwhile
                Map<String, Object> row = new LinkedHashMap<>(measure(file, faces));
                row.put("descriptors", size);
                row.put("people", real.personCount() + synthetic);
                row.put("file_mb", bytes / 1e6);
                row.put("format", format.version());
                rows.add(row);
                out.printf(Locale.ROOT, "%10d %9d %9.0f %9.2f %10.2f %10.2f %10.0f%n", size,
                        real.personCount() + synthetic, bytes / 1e6, (double) row.get("load_ms") / 1000,
                        row.get("match_median_ms"), row.get("match_p90_ms"), row.get("peak_rss_mb"));
                out.flush();
                Files.delete(file);
            }
        } finally {
            try (var left = Files.list(scratch)) {
                for (Path path : left.toList()) {
                    Files.delete(path);
                }
            }
            Files.delete(scratch);
        }
        return rows;
    }

    /**
     * Faces to match, one per "person" of the returned gallery: enrolled descriptors moved a little (as another photo
     * of that person), and strangers, in turn.
     */
    private static Gallery faces(Gallery gallery, Gallery real, int count) {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        Gallery strangers = SyntheticGallery.extend(real, count / 2, 1, SEED + 2);
        Gallery.Builder faces = Gallery.builder(gallery.model(), gallery.descriptorSize());
        for (int i = 0; i < count; i++) {
            Descriptor face;
            if (i % 2 == 0) {
                float[] moved = gallery.person(random.nextInt(gallery.personCount())).descriptors().get(0).values();
                for (int k = 0; k < moved.length; k++) {
                    moved[k] += (float) (random.nextGaussian() * 0.02);
                }
                face = new Descriptor(moved);
            } else {
                face = strangers.person(real.personCount() + i / 2).descriptors().get(0);
            }
            faces.add(new Person("face-" + i, List.of(face)));
        }
        return faces.build();
    }

    /** Runs {@link #main} on the gallery in a JVM of its own and reads its one line of figures. */
    private static Map<String, Object> measure(Path gallery, Path faces) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                GalleryScaleBench.class.getName(), gallery.toString(), faces.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (child.waitFor() != 0) {
            throw new CommandFailure("the gallery measurement of " + gallery.getFileName() + " failed: " + line);
        }
        JsonNode figures = Json.MAPPER.readTree(line.lines().reduce((a, b) -> b).orElse("{}"));
        Map<String, Object> row = new LinkedHashMap<>();
        figures.properties().forEach(e -> row.put(e.getKey(), e.getValue().asDouble()));
        return row;
    }

    /** The child: {@code GALLERY FACES}; prints {@code {"load_ms":…,"match_median_ms":…,…}}. */
    public static void main(String[] args) throws IOException {
        Gallery faces = GalleryFiles.read(Path.of(args[1]));
        long started = System.nanoTime();
        Gallery gallery = GalleryFiles.read(Path.of(args[0]));
        double loadMs = (System.nanoTime() - started) / 1e6;
        Matcher matcher = new Matcher(gallery, Matcher.DEFAULT_THRESHOLD);
        int named = 0;
        for (int i = 0; i < WARM_UP; i++) {
            matcher.match(faces.person(i % faces.personCount()).descriptors().get(0));
        }
        double[] millis = new double[faces.personCount()];
        for (int i = 0; i < millis.length; i++) {
            Descriptor face = faces.person(i).descriptors().get(0);
            long start = System.nanoTime();
            Match match = matcher.match(face);
            millis[i] = (System.nanoTime() - start) / 1e6;
            named += match.matched() ? 1 : 0;
        }
        Arrays.sort(millis);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("load_ms", loadMs);
        figures.put("match_median_ms", millis[millis.length / 2]);
        figures.put("match_p90_ms", millis[(int) (millis.length * 0.9)]);
        figures.put("faces_named", (double) named);
        figures.put("peak_rss_mb", BenchCommand.peakRssKb() / 1024.0);
        System.out.println(Json.MAPPER.writeValueAsString(figures));
    }
}
