package dev.facerec.recognition.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.Enroller.PhotoResult;
import dev.facerec.recognition.gallery.Enroller.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The photos {@link Enroller}'s size and sharpness cut-offs were chosen on, with the detectors that find faces in
 * them: the development set's 73 face crops and the course's 16 gallery photos. Their faces are 98 px and larger, and
 * none is blurred beyond use (the softest are low-resolution crops of dlib's johns): none may be refused as blurred
 * or too small.
 */
class RealPhotosEnrolmentTest {

    @ParameterizedTest
    @EnumSource(value = DetectorKind.class, names = {"TINY", "TINY_SEARCH"})
    void noDevelopmentOrCoursePhotoIsRefusedAsBlurredOrTooSmall(DetectorKind kind) throws Exception {
        Path identities = SharedData.folder("datasets/faces-dev").resolve("identities");
        Path course = SharedData.seedGallery();
        List<PhotoResult> results = new ArrayList<>();
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(kind)) {
            Enroller enroller = new Enroller(analyzer);
            results.addAll(enroller.enroll(identities).photos());
            results.addAll(enroller.enroll(course).photos());
        }

        assertThat(results).hasSize(73 + 16);
        assertThat(results).filteredOn(r -> Set.of(Verdict.SKIPPED_BLURRED, Verdict.SKIPPED_TOO_SMALL)
                .contains(r.verdict())).extracting(r -> r.source() + ": " + r.message()).isEmpty();
        assertThat(results).filteredOn(r -> r.photo().startsWith(course))
                .as("each course photo shows its person alone").allMatch(PhotoResult::enrolled);
    }
}
