package dev.facerec.recognition.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.recognition.Descriptor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatcherTest {
    private static final Descriptor ORIGIN = new Descriptor(new float[Descriptor.LENGTH]);
    private static final Gallery ONE_PERSON = Gallery.of(List.of(new Person("Ada", List.of(ORIGIN))));

    @ParameterizedTest
    @ValueSource(doubles = {-1, 0, 2.0001, Double.NaN, Double.POSITIVE_INFINITY})
    void aThresholdOutsideAbove0To2IsRefusedWithTheRange(double threshold) {
        assertThatThrownBy(() -> new Matcher(ONE_PERSON, threshold)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be above 0 and at most 2.0 (the default is 0.55), not " + threshold);
    }

    @Test
    void theThresholdIsTheLargestDistanceThatNames() {
        float[] near = new float[Descriptor.LENGTH];
        near[0] = 2;
        Matcher widest = new Matcher(ONE_PERSON, Matcher.MAX_THRESHOLD);

        assertThat(widest.match(new Descriptor(near)).matched()).as("distance 2, threshold 2").isTrue();
        near[0] = 2.01f;
        assertThat(widest.match(new Descriptor(near)).matched()).as("distance 2.01, threshold 2").isFalse();
    }
}
