package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Box, Landmarks and Descriptor arithmetic, as face-api does it. */
class GeometryTest {

    @Test
    void clipFloorsTheVisiblePart() {
        Box clipped = new Box(-3.5, 2.7, 10, 5).clipToImage(5, 6);
        assertThat(clipped).isEqualTo(new Box(0, 2, 5, 3));
        assertThat(new Box(7, 0, 3, 3).clipToImage(5, 6).isEmpty()).isTrue();
    }

    @Test
    void intersectionOverUnion() {
        Box a = new Box(0, 0, 2, 2);
        assertThat(a.iou(new Box(1, 0, 2, 2))).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(a.iou(new Box(5, 5, 1, 1))).isZero();
        assertThat(a.iou(a)).isEqualTo(1.0);
    }

    private static Landmarks eyesAndMouth(Point leftEye, Point rightEye, Point mouth, int cropWidth, int cropHeight) {
        List<Point> points = new ArrayList<>(Collections.nCopies(36, new Point(0, 0)));
        points.addAll(Collections.nCopies(6, leftEye));
        points.addAll(Collections.nCopies(6, rightEye));
        points.addAll(Collections.nCopies(20, mouth));
        return new Landmarks(points, cropWidth, cropHeight);
    }

    @Test
    void dlibAlignBoxCentresEyesAndMouth() {
        // eye-to-mouth sqrt(20^2 + 45^2) = 49.24 -> size floor(49.24 / 0.45) = 109; centre (50, 55)
        Landmarks landmarks = eyesAndMouth(new Point(30, 40), new Point(70, 40), new Point(50, 85), 500, 500);
        assertThat(landmarks.dlibAlignBox()).isEqualTo(new Box(0, 8, 109, 109)); // x = max(0, 50 - 54.5)
        Landmarks shifted = eyesAndMouth(new Point(130, 140), new Point(170, 140), new Point(150, 185), 500, 500);
        assertThat(shifted.dlibAlignBox()).isEqualTo(new Box(95, 108, 109, 109));
    }

    @Test
    void dlibAlignBoxIsBoundedByTheLandmarkCropAsFaceApis() {
        Landmarks landmarks = eyesAndMouth(new Point(30, 40), new Point(70, 40), new Point(50, 85), 100, 100);
        assertThat(landmarks.dlibAlignBox()).isEqualTo(new Box(0, 8, 100, 108));
    }

    @Test
    void landmarksNeedAll68() {
        assertThatThrownBy(() -> new Landmarks(List.of(new Point(1, 2)), 1, 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void descriptorDistanceIsEuclidean() {
        float[] a = new float[Descriptor.LENGTH];
        float[] b = new float[Descriptor.LENGTH];
        b[3] = 3;
        b[100] = -4;
        assertThat(new Descriptor(a).distanceTo(new Descriptor(b))).isEqualTo(5.0);
        assertThat(new Descriptor(b).distanceTo(new Descriptor(b))).isZero();
        Descriptor copy = new Descriptor(b);
        b[0] = 7;
        copy.values()[1] = 7;
        assertThat(copy.get(0)).isZero();
        assertThat(copy.get(1)).isZero();
        assertThatThrownBy(() -> new Descriptor(new float[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
