package dev.facerec.recognition.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.Fixtures;
import dev.facerec.recognition.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FaceRecognitionNet against face-api's descriptors of the recognition-net fixtures. */
class FaceRecognitionNetTest {

    private static final double TOLERANCE = 1e-5;

    private final JsonNode expected = Fixtures.json("recognition-net/descriptors.json");

    private List<String> names() {
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertThat(names).hasSizeGreaterThanOrEqualTo(5);
        return names;
    }

    @Test
    void referenceInputsGiveTheReferenceDescriptorsInOneBatch() {
        List<String> names = names();
        List<SquareImage> inputs = names.stream()
            .map(name -> SquareImage.of(150, Fixtures.floats("recognition-net/" + name + ".input150.f32")))
            .toList();
        try (NDManager scope = Nets.WEIGHTS.newSubManager()) {
            assertMatches(names, Nets.RECOGNITION.describe(inputs, scope));
        }
    }

    @Test
    void ownPreprocessingOfThePngsGivesTheReferenceInputs() {
        for (String name : names()) {
            RgbImage png = Fixtures.image("recognition-net/" + name + ".png");
            float[] ours = Nets.RECOGNITION.preprocess(png, new Box(0, 0, png.width(), png.height())).pixels();
            assertThat(ours).as(name).containsExactly(Fixtures.floats("recognition-net/" + name + ".input150.f32"));
        }
    }

    @Test
    void pngsThroughOwnPreprocessingGiveTheReferenceDescriptors() {
        List<String> names = names();
        List<Descriptor> descriptors = new ArrayList<>();
        for (String name : names) {
            RgbImage png = Fixtures.image("recognition-net/" + name + ".png");
            try (NDManager scope = Nets.WEIGHTS.newSubManager()) {
                descriptors.addAll(
                    Nets.RECOGNITION.describe(png, List.of(new Box(0, 0, png.width(), png.height())), scope));
            }
        }
        assertMatches(names, descriptors);
    }

    private void assertMatches(List<String> names, List<Descriptor> actual) {
        assertThat(actual).hasSameSizeAs(names);
        double worst = 0;
        for (int i = 0; i < names.size(); i++) {
            float[] reference = Fixtures.floats(expected.get(names.get(i)));
            for (int k = 0; k < Descriptor.LENGTH; k++) {
                worst = Math.max(worst, Math.abs(actual.get(i).get(k) - reference[k]));
            }
        }
        System.out.printf("recognition net: max |descriptor - reference| = %.3g%n", worst);
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }
}
