package dev.facerec.recognition.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.SampleFaces;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation's counting, on a small labelled set made from the bundled sample photos (two people, a detection
 * photo with a box where no face is, a group photo), and its protocol sizes on the development set.
 */
class EvaluatorTest {
    static FaceAnalyzer analyzer;

    @BeforeAll
    static void start() {
        analyzer = FaceAnalyzer.create();
    }

    @AfterAll
    static void stop() {
        analyzer.close();
    }

    @Test
    void countsFollowTheProtocols(@TempDir Path root) throws Exception {
        // Blonde: three portraits (two cuts, one mirrored); Burgundy: two. No person is in both samples. Cuts with
        // more margin take in a neighbour's face, which the enrolment rule (the largest face) could prefer.
        BufferedImage blonde = SampleFaces.portrait(analyzer, 3, 0, 0.6);
        BufferedImage burgundy = SampleFaces.portrait(analyzer, 6, 1, 0.6);
        write(root.resolve("identities/Blonde/1.jpg"), SampleFaces.portrait(analyzer, 3, 0, 1));
        write(root.resolve("identities/Blonde/2.jpg"), blonde);
        write(root.resolve("identities/Blonde/3.jpg"), mirrored(blonde));
        write(root.resolve("identities/Burgundy/1.jpg"), burgundy);
        write(root.resolve("identities/Burgundy/2.jpg"), mirrored(burgundy));
        // sample1's three faces, boxed by eye, and one box on the dark wall above them, where no face is.
        write(root.resolve("detection/sample1.jpg"), SampleFaces.photo(1));
        Files.writeString(root.resolve("detection/boxes.csv"), """
                file,x,y,width,height
                sample1.jpg,340,400,300,250
                sample1.jpg,780,450,310,250
                sample1.jpg,1425,215,300,280
                sample1.jpg,900,20,150,150
                """);
        write(root.resolve("groups/sample3.jpg"), SampleFaces.photo(3));
        Files.writeString(root.resolve("groups/labels.csv"), "file,people\nsample3.jpg,Blonde\n");

        QualityReport report = new Evaluator(analyzer, "tiny").evaluate(DevSet.read(root), List.of(), List.of(),
                0.6, List.of(0.5, 0.6));

        assertThat(report.detection()).isEqualTo(new QualityReport.DetectionResult(1, 4, 3, 0));
        assertThat(report.enrolment().photos()).isEqualTo(5);
        assertThat(report.enrolment().enrolled()).isEqualTo(5);
        assertThat(report.enrolment().peopleEnrolled()).isEqualTo(2);
        // Probes: every photo but each person's first, named by the others' first photos.
        assertThat(report.oneShot().probes()).isEqualTo(3);
        assertThat(report.oneShot().right()).isEqualTo(3);
        // Held out, each person meets only the other: nobody is named.
        assertThat(report.openSet().photosHeldOut()).isEqualTo(5);
        assertThat(report.openSet().namedHeldOut()).isEmpty();
        assertThat(report.openSet().photosVsCourse()).isZero();
        assertThat(report.groups().labelled()).isEqualTo(1);
        assertThat(report.groups().found()).isEqualTo(1);
        assertThat(report.groups().wrongNames()).isEmpty();
        // Three Blonde pairs and one Burgundy pair; 3 x 2 pairs of the two.
        assertThat(report.distances().genuine()).hasSize(4).allMatch(d -> d < 0.6);
        assertThat(report.distances().impostor()).hasSize(6).allMatch(d -> d > 0.6);
        assertThat(report.sweep()).extracting(QualityReport.SweepRow::threshold).containsExactly(0.5, 0.6);
        assertThat(report.toMarkdown()).contains("| detection: hand-drawn boxes found (IoU ≥ 0.3) | 3 of 4 (75 %) |",
                "| one-shot identification | 3 of 3 right (100.0 %); wrong 0, Unknown 0, NoFace 0 |");
    }

    @Test
    void theDevelopmentSetHasTheSizesItsReadmeGives() throws Exception {
        DevSet dev = DevSet.read(SharedData.folder("datasets/faces-dev"));

        assertThat(dev.identities()).hasSize(11);
        assertThat(dev.identities().stream().mapToInt(i -> i.photos().size()).sum()).isEqualTo(73);
        assertThat(dev.detection()).hasSize(4);
        assertThat(dev.detection().stream().mapToInt(p -> p.faces().size()).sum()).isEqualTo(18);
        assertThat(dev.groups()).hasSize(4);
    }

    private static BufferedImage mirrored(BufferedImage picture) {
        BufferedImage mirror = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = mirror.createGraphics();
        g.drawImage(picture, picture.getWidth(), 0, -picture.getWidth(), picture.getHeight(), null);
        g.dispose();
        return mirror;
    }

    private static void write(Path file, BufferedImage picture) throws Exception {
        Files.createDirectories(file.getParent());
        ImageIO.write(picture, "jpeg", file.toFile());
    }
}
