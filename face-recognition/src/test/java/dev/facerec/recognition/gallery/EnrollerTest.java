package dev.facerec.recognition.gallery;

import static dev.facerec.recognition.gallery.EnrolmentPhotos.blurred;
import static dev.facerec.recognition.gallery.EnrolmentPhotos.face;
import static dev.facerec.recognition.gallery.EnrolmentPhotos.portrait;
import static dev.facerec.recognition.gallery.EnrolmentPhotos.scaled;
import static dev.facerec.recognition.gallery.EnrolmentPhotos.sideBySide;
import static dev.facerec.recognition.gallery.EnrolmentPhotos.writeJpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.RgbImage;
import dev.facerec.recognition.SampleFaces;
import dev.facerec.recognition.gallery.Enroller.PhotoResult;
import dev.facerec.recognition.gallery.Enroller.Verdict;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each verdict of {@link Enroller}, from a photo made of the bundled sample photos and read by the real nets with
 * face-api's own detector (the rules judge any detector's boxes; these photos were checked with this one).
 */
class EnrollerTest {
    @TempDir
    static Path dir;

    private static FaceAnalyzer analyzer;
    private static Enroller enroller;
    private static Path photos;

    /**
     * Ann is the middle woman of sample1, Bea the third from the left in sample5, Dee the left woman of sample1; each
     * cut with half her face's size around it (wider, a cut would take in part of a neighbour's face).
     */
    @BeforeAll
    static void photos() throws Exception {
        analyzer = FaceAnalyzer.create(DetectorKind.TINY);
        enroller = new Enroller(analyzer);
        photos = dir.resolve("photos");
        BufferedImage ann = portrait(analyzer, 1, 1, 0.5);
        BufferedImage bea = portrait(analyzer, 5, 2, 0.5);
        double annFace = face(analyzer, 1, 1).width();
        double beaFace = face(analyzer, 5, 2).width();
        writeJpeg(photos.resolve("Ann/portrait.jpg"), ann);
        // Ann before two people further back: their faces 0.6 times as wide as hers, 0.36 times the area.
        BufferedImage behind = scaled(bea, 0.6 * annFace / beaFace);
        writeJpeg(photos.resolve("Ann/before-two.jpg"), sideBySide(List.of(behind, ann, behind)));
        // Ann beside Bea, their faces about as wide.
        writeJpeg(photos.resolve("Ann/beside-bea.jpg"), sideBySide(List.of(ann, scaled(bea, annFace / beaFace))));
        writeJpeg(photos.resolve("Ann/far-away.jpg"), scaled(ann, 30 / annFace));
        // A Gaussian of 2% of the face's width: 6 px for her 305 px face, in a cut with her face's size around it.
        writeJpeg(photos.resolve("Dee/blurred.jpg"), blurred(portrait(analyzer, 1, 0, 1),
                0.02 * face(analyzer, 1, 0).width()));
        writeJpeg(photos.resolve("Dee/staircase.jpg"), SampleFaces.photo(5).getSubimage(0, 0, 420, 760));
        Files.writeString(photos.resolve("Dee/notes.jpg"), "not a photo");
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    @Test
    void aPortraitGivesItsOnlyFace() {
        PhotoResult result = enroller.enrollPhoto("Ann", photos.resolve("Ann/portrait.jpg"));

        assertThat(result.verdict()).as(result.message()).isEqualTo(Verdict.USED);
        assertThat(result.descriptor()).isPresent();
        assertThat(result.faces()).isOne();
        assertThat(result.source()).isEqualTo("Ann/portrait.jpg");
        assertThat(result.message()).matches("the only face, \\d+x\\d+ px");
    }

    @Test
    void aFaceClearlyLargerThanTheOthersIsTakenAndTheMessageSaysWhich() {
        PhotoResult result = enroller.enrollPhoto("Ann", photos.resolve("Ann/before-two.jpg"));

        assertThat(result.verdict()).as(result.message()).isEqualTo(Verdict.USED);
        assertThat(result.faces()).isEqualTo(3);
        // Her face has about 1 / 0.36 = 2.8 times the others' area: some 180% more, give or take the boxes.
        assertThat(result.message()).matches("the largest of 3 faces, \\d+x\\d+ px at \\(\\d+,\\d+\\), with 1\\d\\d% "
                + "more area than the next \\(\\d+x\\d+ px at \\(\\d+,\\d+\\)\\)");
        Descriptor alone = enroller.enrollPhoto("Ann", photos.resolve("Ann/portrait.jpg")).descriptor().orElseThrow();
        assertThat(result.descriptor().orElseThrow().distanceTo(alone)).as("the face taken is Ann's").isLessThan(0.3);
    }

    @Test
    void twoFacesOfSimilarSizeAreRefusedRatherThanGuessed() {
        PhotoResult result = enroller.enrollPhoto("Ann", photos.resolve("Ann/beside-bea.jpg"));

        assertThat(result.verdict()).as(result.message()).isEqualTo(Verdict.SKIPPED_AMBIGUOUS);
        assertThat(result.descriptor()).isEmpty();
        assertThat(result.faces()).isEqualTo(2);
        assertThat(result.message()).matches("2 faces of similar size: the largest \\d+x\\d+ px at \\(\\d+,\\d+\\), "
                + "the next \\d+x\\d+ px at \\(\\d+,\\d+\\) with \\d+% of its area \\(80% or more is too close to "
                + "tell which is Ann\\): crop the photo to Ann's face");
    }

    @Test
    void aFaceUnderTheNetsSizeIsRefused() {
        PhotoResult result = enroller.enrollPhoto("Ann", photos.resolve("Ann/far-away.jpg"));

        assertThat(result.verdict()).as(result.message()).isEqualTo(Verdict.SKIPPED_TOO_SMALL);
        assertThat(result.message()).matches("the face is [123]\\dx[123]\\d px, under the 40 px a face needs: use a "
                + "photo where the face is larger");
    }

    @Test
    void aBlurredFaceIsRefused() {
        PhotoResult result = enroller.enrollPhoto("Dee", photos.resolve("Dee/blurred.jpg"));

        assertThat(result.verdict()).as(result.message()).isEqualTo(Verdict.SKIPPED_BLURRED);
        assertThat(result.message()).matches("the face \\(\\d+x\\d+ px\\) is too blurred: sharpness \\d+, under 20: "
                + "use a sharper photo");
        // The same cut unblurred passes by far.
        RgbImage sharp = RgbImage.fromBufferedImage(portrait(analyzer, 1, 0, 1));
        assertThat(Sharpness.of(sharp, analyzer.analyze(sharp).get(0).detection().box()))
                .isGreaterThan(5 * Enroller.MIN_SHARPNESS);
    }

    @Test
    void aPhotoWithoutAFaceAndAFileThatIsNoPhotoAreToldApart() {
        PhotoResult staircase = enroller.enrollPhoto("Dee", photos.resolve("Dee/staircase.jpg"));
        PhotoResult notes = enroller.enrollPhoto("Dee", photos.resolve("Dee/notes.jpg"));

        assertThat(staircase.verdict()).isEqualTo(Verdict.SKIPPED_NO_FACE);
        assertThat(staircase.message()).isEqualTo("no face found");
        assertThat(notes.verdict()).isEqualTo(Verdict.SKIPPED_UNREADABLE);
        assertThat(notes.message()).startsWith("cannot read the image: ");
    }

    @Test
    void theGalleryKeepsThePhotoEachDescriptorCameFrom() throws Exception {
        Enroller.Enrollment enrollment = enroller.enroll(photos);

        assertThat(enrollment.photos()).extracting(PhotoResult::source, PhotoResult::verdict).containsExactly(
                tuple("Ann/before-two.jpg", Verdict.USED),
                tuple("Ann/beside-bea.jpg", Verdict.SKIPPED_AMBIGUOUS),
                tuple("Ann/far-away.jpg", Verdict.SKIPPED_TOO_SMALL),
                tuple("Ann/portrait.jpg", Verdict.USED),
                tuple("Dee/blurred.jpg", Verdict.SKIPPED_BLURRED),
                tuple("Dee/notes.jpg", Verdict.SKIPPED_UNREADABLE),
                tuple("Dee/staircase.jpg", Verdict.SKIPPED_NO_FACE));
        assertThat(enrollment.gallery().people()).singleElement().satisfies(ann -> {
            assertThat(ann.name()).isEqualTo("Ann");
            assertThat(ann.sources()).containsExactly("Ann/before-two.jpg", "Ann/portrait.jpg");
        });
        Person read = GalleryJson.read(GalleryJson.write(enrollment.gallery()), "test").people().get(0);
        assertThat(read.sources()).containsExactly("Ann/before-two.jpg", "Ann/portrait.jpg");
        assertThat(read.descriptors()).isEqualTo(enrollment.gallery().people().get(0).descriptors());
    }
}
