package dev.facerec.recognition.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.Detection;
import dev.facerec.recognition.Fixtures;
import dev.facerec.recognition.Landmarks;
import dev.facerec.recognition.RgbImage;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each stage called again and again on a 1920x1080 frame: the same answer every time, and nothing left in the
 * weights' manager once a call's scope is closed. Prints the warm time per stage.
 */
class RepeatedCallsTest {

    private static final int RUNS = 8;

    @Test
    void stagesAreRepeatableAndLeaveNoArraysBehind() {
        RgbImage frame = Fixtures.image("images/test_5_f0.png");
        int weightArrays = Nets.WEIGHTS.getManagedArrays().size();

        List<Detection> detections = repeat("detector (416)", scope -> Nets.DETECTOR.detect(frame, scope));
        assertThat(detections).hasSize(2);
        List<Box> boxes = detections.stream().map(Detection::box).toList();
        List<Landmarks> landmarks = repeat("landmarks, 2 faces (112)", scope -> Nets.LANDMARKS.detect(frame, boxes, scope));
        List<Box> align = landmarks.stream().map(Landmarks::dlibAlignBox).toList();
        List<Descriptor> descriptors =
            repeat("recognition, 2 faces (150)", scope -> Nets.RECOGNITION.describe(frame, align, scope));
        assertThat(descriptors).hasSize(2);
        assertThat(descriptors.get(0).distanceTo(descriptors.get(1))).as("two different people").isGreaterThan(0.6);

        assertThat(Nets.WEIGHTS.getManagedArrays()).hasSize(weightArrays);
    }

    private static <T> T repeat(String stage, Function<NDManager, T> call) {
        T first;
        try (NDManager scope = Nets.WEIGHTS.newSubManager()) {
            first = call.apply(scope);
        }
        long start = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            try (NDManager scope = Nets.WEIGHTS.newSubManager()) {
                assertThat(call.apply(scope)).isEqualTo(first);
            }
        }
        System.out.printf("warm %-28s %6.1f ms%n", stage, (System.nanoTime() - start) / 1e6 / RUNS);
        return first;
    }
}
