package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.Face;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.RgbImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
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
            Box annFace = face(analyzer, 1, 1);
            Box beaFace = face(analyzer, 5, 2);
            Box deeFace = face(analyzer, 1, 0);
            BufferedImage ann = cut(Media.samplePhoto(1), annFace, 0.5);
            BufferedImage bea = cut(Media.samplePhoto(5), beaFace, 0.5);
            BufferedImage behind = scaled(bea, 0.6 * annFace.width() / beaFace.width());
            write(photos.resolve("Ann/portrait.jpg"), ann);
            write(photos.resolve("Ann/before-two.jpg"), sideBySide(behind, ann, behind));
            write(photos.resolve("Ann/beside-bea.jpg"), sideBySide(ann, scaled(bea,
                    annFace.width() / beaFace.width())));
            write(photos.resolve("Dee/blurred.jpg"), blurred(cut(Media.samplePhoto(1), deeFace, 1),
                    0.02 * deeFace.width()));
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
        assertThat(lines.get(6)).isEqualTo("gallery: 1 people, 2 descriptors from 5 photos, 3 skipped -> " + gallery);
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

    /** The {@code fromLeft}-th face of sample {@code number}. */
    private static Box face(FaceAnalyzer analyzer, int number, int fromLeft) throws IOException {
        List<Face> faces = analyzer.analyze(RgbImage.fromBufferedImage(Media.samplePhoto(number)));
        return faces.stream().map(f -> f.detection().box()).sorted(Comparator.comparingDouble(Box::x)).toList()
                .get(fromLeft);
    }

    /** {@code face} with {@code margin} times its width and height around it. */
    private static BufferedImage cut(BufferedImage photo, Box face, double margin) {
        Box cut = new Box(face.x() - margin * face.width(), face.y() - margin * face.height(),
                (1 + 2 * margin) * face.width(), (1 + 2 * margin) * face.height())
                .clipToImage(photo.getWidth(), photo.getHeight());
        return copy(photo.getSubimage((int) cut.x(), (int) cut.y(), (int) cut.width(), (int) cut.height()));
    }

    private static BufferedImage scaled(BufferedImage picture, double scale) {
        BufferedImage out = new BufferedImage((int) Math.round(picture.getWidth() * scale),
                (int) Math.round(picture.getHeight() * scale), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(picture, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    private static BufferedImage sideBySide(BufferedImage... pictures) {
        int width = 0;
        int height = 0;
        for (BufferedImage picture : pictures) {
            width += picture.getWidth();
            height = Math.max(height, picture.getHeight());
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage picture : pictures) {
            g.drawImage(picture, x, height - picture.getHeight(), null);
            x += picture.getWidth();
        }
        g.dispose();
        return out;
    }

    /** A Gaussian blur of {@code sigma} pixels, the edges left as they are. */
    private static BufferedImage blurred(BufferedImage picture, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] weights = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            weights[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += weights[i + radius];
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= sum;
        }
        BufferedImage across = new ConvolveOp(new Kernel(weights.length, 1, weights), ConvolveOp.EDGE_NO_OP, null)
                .filter(picture, null);
        return new ConvolveOp(new Kernel(1, weights.length, weights), ConvolveOp.EDGE_NO_OP, null)
                .filter(across, null);
    }

    private static BufferedImage copy(BufferedImage picture) {
        BufferedImage out = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(picture, 0, 0, null);
        g.dispose();
        return out;
    }

    private static void write(Path file, BufferedImage picture) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(picture, "jpeg", file.toFile());
    }
}
