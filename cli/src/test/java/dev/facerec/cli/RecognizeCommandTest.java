package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.common.testing.CourseWorkload;
import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.gallery.GalleryFiles;
import dev.facerec.recognition.gallery.SyntheticGallery;
import dev.facerec.recognition.lambda.RecognitionFixture;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** faas enroll then faas recognize, as a user runs them, on the course's videos and photos. */
class RecognizeCommandTest {
    @TempDir
    Path dir;

    @Test
    void enrollsThePhotosThenNamesEveryCourseVideo() throws Exception {
        Path photos = dir.resolve("photos");
        copyTree(SharedData.seedGallery(), photos);
        Files.createDirectories(photos.resolve("Nobody"));
        Files.writeString(photos.resolve("Nobody/not-a-photo.jpg"), "plain text");
        Path gallery = dir.resolve("gallery.json");

        Faas.Run enroll = Faas.run("enroll", "--photos", photos.toString(), "--out", gallery.toString());

        assertThat(enroll.status()).isZero();
        assertThat(enroll.lines()).contains("Trump: 2 of 2 photos used", "Nobody: 0 of 1 photos used",
                "gallery: 8 people, 16 descriptors from 17 photos, 1 skipped -> " + gallery + " (format 1)");
        assertThat(enroll.lines()).anyMatch(l -> l.startsWith("  skipped " + photos.resolve("Nobody/not-a-photo.jpg")
                + ": cannot read the image"));

        List<CourseWorkload.Video> course = CourseWorkload.course();
        List<String> args = new ArrayList<>(List.of("recognize", "--gallery", gallery.toString(),
                "--annotate", dir.resolve("annotated").toString()));
        course.forEach(v -> args.add(v.source().toString()));
        Path notAVideo = Files.writeString(dir.resolve("notes.mp4"), "not a video\n".repeat(20));
        args.add(notAVideo.toString());

        Faas.Run recognize = Faas.run(args.toArray(String[]::new));

        assertThat(recognize.status()).as("one input failed").isEqualTo(1);
        List<String> expected = new ArrayList<>();
        course.forEach(v -> expected.add(v.source() + "\t" + v.expectedName()));
        expected.add(notAVideo + "\tError: cannot open as a video: not a container FFmpeg recognises, "
                + "or its header is corrupt");
        assertThat(recognize.lines()).containsExactlyElementsOf(expected);
        BufferedImage annotated = ImageIO.read(dir.resolve("annotated/test_0.jpg").toFile());
        assertThat(annotated.getWidth()).isEqualTo(1280);
    }

    /**
     * Issue 6/7's workload: the seed people among 100,000 synthetic ones (200,016 descriptors), as a format-1 JSON
     * file of some 330 MB that the recogniser reads as a stream; every course video still gets its name. How fast, and
     * in how much memory, is measured by faas bench --gallery-size and in docs/BENCHMARKS.md, not here.
     */
    @Test
    void namesEveryCourseVideoAmongAHundredThousandPeople() throws Exception {
        Path gallery = dir.resolve("crowd.json");
        GalleryFiles.write(SyntheticGallery.extend(RecognitionFixture.seedGallery(), 100_000, 2, 6), gallery);
        List<String> args = new ArrayList<>(List.of("recognize", "--gallery", gallery.toString()));
        List<CourseWorkload.Video> course = CourseWorkload.course();
        course.forEach(v -> args.add(v.source().toString()));

        Faas.Run recognize = Faas.run(args.toArray(String[]::new));

        assertThat(recognize.status()).as(recognize.err()).isZero();
        assertThat(recognize.lines()).containsExactlyElementsOf(course.stream()
                .map(v -> v.source() + "\t" + v.expectedName()).toList());
    }

    @Test
    void aPhotosFolderIsEnrolledOnTheFlyAndJsonTellsTheFaces() throws Exception {
        Path video = SharedData.seedVideo("test_5.mp4"); // Diesel, and a child nearer the camera

        Faas.Run run = Faas.run("recognize", "--gallery", SharedData.seedGallery().toString(), "--json",
                video.toString());

        assertThat(run.status()).isZero();
        JsonNode line = Json.MAPPER.readTree(run.lines().get(0));
        assertThat(line.get("outcome").asText()).isEqualTo("Diesel");
        assertThat(line.get("faces")).hasSize(2);
        JsonNode largest = line.get("faces").get(0);
        assertThat(largest.get("matched").asBoolean()).as("the child is not enrolled").isFalse();
        assertThat(line.get("faces").get(1).get("match").asText()).isEqualTo("Diesel");
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
