package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.recognition.samples.SamplePhotos;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * faas recognize on inputs as people hand them over: a folder of videos and images (JPEG, PNG) in subfolders, a file
 * that is missing, a folder with nothing to recognise. Made from the photos bundled with the recogniser: one person
 * enrolled, the largest face of sample1.jpg.
 */
class RecognizeInputsTest {
    @TempDir
    static Path dir;
    static Path gallery;
    static Path inputs;
    static Path video;
    static Path png;
    static Path stranger;

    @BeforeAll
    static void photosAndVideos() throws Exception {
        gallery = dir.resolve("photos");
        Files.createDirectories(gallery.resolve("Sample1"));
        Files.write(gallery.resolve("Sample1/sample1.jpg"), SamplePhotos.jpeg(1));

        inputs = dir.resolve("inputs");
        video = Media.video(inputs.resolve("a/clip.mp4"), Media.samplePhoto(1));
        png = Media.image(inputs.resolve("b/sample1.png"), Media.samplePhoto(1), "png");
        stranger = Files.write(Files.createDirectories(inputs.resolve("c")).resolve("sample2.JPG"),
                SamplePhotos.jpeg(2));
        Files.writeString(inputs.resolve("c/notes.txt"), "neither a video nor an image");
    }

    @Test
    void aFolderOfVideosAndImagesIsRecognisedInOrderAndImagesSaySo() throws Exception {
        Path missing = dir.resolve("missing.png");
        Path empty = Files.createDirectories(dir.resolve("empty"));

        Faas.Run run = Faas.run("recognize", "--gallery", gallery.toString(), inputs.toString(), missing.toString(),
                empty.toString());

        assertThat(run.status()).as("two inputs failed").isEqualTo(1);
        assertThat(run.lines()).containsExactly(
                video + "\tSample1",
                png + "\tSample1\timage",
                stranger + "\tUnknown\timage",
                missing + "\tError: no such file or folder: " + missing + "\timage",
                empty + "\tError: no videos or images in this folder");
        // Not a terminal: a line per input (five, so every tenth is every one), stdout untouched.
        List<String> progress = new ArrayList<>();
        for (int done = 1; done <= 5; done++) {
            progress.add("faas recognize: " + done + " of 5 done");
        }
        assertThat(run.errLines()).containsExactlyElementsOf(progress);
    }

    @Test
    void jsonTellsTheKindOfEachInput() throws Exception {
        Faas.Run run = Faas.run("recognize", "--quiet", "--json", "--gallery", gallery.toString(),
                inputs.toString());

        assertThat(run.status()).isZero();
        assertThat(run.err()).as("--quiet").isEmpty();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.lines()) {
            lines.add(Json.MAPPER.readTree(line));
        }
        assertThat(lines).extracting(line -> line.get("input").asText())
                .containsExactly(video.toString(), png.toString(), stranger.toString());
        assertThat(lines).extracting(line -> line.get("kind").asText()).containsExactly("video", "image", "image");
        assertThat(lines).extracting(line -> line.get("outcome").asText())
                .containsExactly("Sample1", "Sample1", "Unknown");
        assertThat(lines.get(0).has("frame_time_seconds")).as("a video's frame").isTrue();
        assertThat(lines.get(1).has("frame_time_seconds")).as("an image is not split").isFalse();
        assertThat(lines.get(2).get("faces")).as("sample2's faces, none of them enrolled").isNotEmpty()
                .allMatch(face -> !face.get("matched").asBoolean());
    }

    @Test
    void anImageWithTransparencyIsAnnotatedAsAJpeg() throws Exception {
        BufferedImage photo = Media.samplePhoto(1);
        BufferedImage translucent = new BufferedImage(photo.getWidth(), photo.getHeight(),
                BufferedImage.TYPE_INT_ARGB);
        translucent.createGraphics().drawImage(photo, 0, 0, null);
        Path image = Media.image(dir.resolve("translucent/sample1.png"), translucent, "png");
        Path annotated = dir.resolve("annotated");

        Faas.Run run = Faas.run("recognize", "--gallery", gallery.toString(), "--annotate", annotated.toString(),
                image.toString());

        assertThat(run.lines()).containsExactly(image + "\tSample1\timage");
        assertThat(ImageIO.read(annotated.resolve(ObjectKeys.frameKey("sample1.png")).toFile()).getWidth())
                .isEqualTo(photo.getWidth());
    }
}
