package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.EnrolmentPhotos;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * faas enroll as a user runs it on photos as they come, made from the bundled sample photos: per person how many
 * were used, each skipped photo and why, which face a photo of several gave; and the same reasons on stderr where
 * recognize enrols a folder on the fly.
 */
class EnrollCommandTest {
    @TempDir
    static Path dir;

    private static Path photos;

    /** Ann: sample1's middle woman; Bea: sample5's third from the left; Dee: sample1's left woman. */
    @BeforeAll
    static void photos() throws IOException {
        photos = dir.resolve("photos");
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(DetectorKind.TINY)) {
            Box annFace = EnrolmentPhotos.face(analyzer, 1, 1);
            Box beaFace = EnrolmentPhotos.face(analyzer, 5, 2);
            Box deeFace = EnrolmentPhotos.face(analyzer, 1, 0);
            BufferedImage ann = EnrolmentPhotos.portrait(analyzer, 1, 1, 0.5);
            BufferedImage bea = EnrolmentPhotos.portrait(analyzer, 5, 2, 0.5);
            BufferedImage behind = EnrolmentPhotos.scaled(bea, 0.6 * annFace.width() / beaFace.width());
            EnrolmentPhotos.writeJpeg(photos.resolve("Ann/portrait.jpg"), ann);
            EnrolmentPhotos.writeJpeg(photos.resolve("Ann/before-two.jpg"),
                    EnrolmentPhotos.sideBySide(List.of(behind, ann, behind)));
            EnrolmentPhotos.writeJpeg(photos.resolve("Ann/beside-bea.jpg"), EnrolmentPhotos.sideBySide(List.of(ann,
                    EnrolmentPhotos.scaled(bea, annFace.width() / beaFace.width()))));
            EnrolmentPhotos.writeJpeg(photos.resolve("Dee/blurred.jpg"),
                    EnrolmentPhotos.blurred(EnrolmentPhotos.portrait(analyzer, 1, 0, 1), 0.02 * deeFace.width()));
            Files.writeString(photos.resolve("Dee/notes.jpg"), "not a photo");
        }
    }

    @Test
    void eachPersonsPhotosAreCountedAndEachSkippedOneSaysWhy() throws Exception {
        Path gallery = dir.resolve("gallery.json");

        Faas.Run run = Faas.run("enroll", "--photos", photos.toString(), "--out", gallery.toString(),
                "--detector", "tiny");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.lines();
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).isEqualTo("Ann: 2 of 3 photos used");
        assertThat(lines.get(1)).matches("  used " + quoted(photos.resolve("Ann/before-two.jpg")) + ": the largest "
                + "of 3 faces, \\d+x\\d+ px at \\(\\d+,\\d+\\), with \\d+% more area than the next \\(.*\\)");
        assertThat(lines.get(2)).matches("  skipped " + quoted(photos.resolve("Ann/beside-bea.jpg")) + ": 2 faces of "
                + "similar size: .* crop the photo to Ann's face");
        assertThat(lines.get(3)).isEqualTo("Dee: 0 of 2 photos used");
        assertThat(lines.get(4)).matches("  skipped " + quoted(photos.resolve("Dee/blurred.jpg")) + ": the face "
                + "\\(\\d+x\\d+ px\\) is too blurred: sharpness \\d+, under 20: use a sharper photo");
        assertThat(lines.get(5)).startsWith("  skipped " + photos.resolve("Dee/notes.jpg") + ": cannot read the "
                + "image: ");
        assertThat(lines.get(6)).isEqualTo("gallery: 1 people, 2 descriptors from 5 photos, 3 skipped -> " + gallery
                + " (format 1)");
        JsonNode file = Json.MAPPER.readTree(gallery.toFile());
        assertThat(file.get("format_version").asInt()).isOne();
        assertThat(file.at("/people/0/sources").toString()).isEqualTo("[\"Ann/before-two.jpg\",\"Ann/portrait.jpg\"]");
    }

    @Test
    void recognizeEnrollingAFolderTellsTheSkippedPhotosOnStderr() {
        Path portrait = photos.resolve("Ann/portrait.jpg");

        Faas.Run run = Faas.run("recognize", "--gallery", photos.toString(), "--detector", "tiny",
                portrait.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.lines()).containsExactly(portrait + "\tAnn\timage");
        assertThat(run.errLines()).anyMatch(l -> l.startsWith("skipped " + photos.resolve("Ann/beside-bea.jpg")
                + ": 2 faces of similar size"));
        assertThat(run.errLines()).anyMatch(l -> l.startsWith("skipped " + photos.resolve("Dee/blurred.jpg")
                + ": the face ("));
        assertThat(run.errLines()).anyMatch(l -> l.startsWith("skipped " + photos.resolve("Dee/notes.jpg")
                + ": cannot read the image"));
    }

    private static String quoted(Path path) {
        return java.util.regex.Pattern.quote(path.toString());
    }
}
