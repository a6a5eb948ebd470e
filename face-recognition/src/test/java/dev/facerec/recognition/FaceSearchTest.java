package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FaceSearch's passes, with a stand-in network: which pictures it is shown and where their boxes land. */
class FaceSearchTest {

    @Test
    void mirroredBoxesGoBackToThePicture() {
        assertThat(FaceSearch.mirrored(new Box(10, 20, 30, 40), 100)).isEqualTo(new Box(60, 20, 30, 40));
        assertThat(FaceSearch.mirrored(FaceSearch.mirrored(new Box(10, 20, 30, 40), 100), 100))
                .isEqualTo(new Box(10, 20, 30, 40));
    }

    @Test
    void aFaceFoundOnlyInTheMirrorImageIsBoxedInThePicture() {
        // A 100x100 picture (no shrinking: the border search's picture is 300 px, below the 416 input); its left
        // half is dark and its right half bright, so the stand-in can tell the mirror image.
        byte[] rgb = new byte[100 * 100 * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            if ((i / 3) % 100 >= 50) {
                rgb[i] = rgb[i + 1] = rgb[i + 2] = (byte) 250;
            }
        }
        RgbImage picture = new RgbImage(100, 100, rgb);
        List<RgbImage> shown = new ArrayList<>();
        FaceDetector network = (image, scope) -> {
            shown.add(image);
            // A face only in the bordered mirror image: bright on the left of the bordered picture's middle.
            boolean bordered = image.width() == 300;
            boolean mirrorImage = bordered && image.sample(110, 150, 0) == 250;
            return mirrorImage ? List.of(new Detection(new Box(110, 120, 30, 40), 0.9)) : List.of();
        };
        try (FaceSearch search = new FaceSearch(network, 416, null)) {
            List<Detection> found = search.detect(picture, null);
            assertThat(shown).hasSize(3); // the picture, in a border, its mirror image in a border
            assertThat(found).extracting(Detection::box).containsExactly(new Box(60, 20, 30, 40));
        }
    }

    @Test
    void theMirrorImageIsNotSearchedWhenThePictureGivesAFace() {
        List<RgbImage> shown = new ArrayList<>();
        FaceDetector network = (image, scope) -> {
            shown.add(image);
            return List.of(new Detection(new Box(10, 10, 50, 50), 0.9));
        };
        try (FaceSearch search = new FaceSearch(network, 416, null)) {
            assertThat(search.detect(new RgbImage(100, 100, new byte[100 * 100 * 3]), null)).hasSize(1);
            assertThat(shown).hasSize(1);
        }
    }
}
