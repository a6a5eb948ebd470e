package dev.facerec.recognition.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.recognition.Descriptor;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a gallery file may hold: finite descriptor values, names that are not outcome words and fit on one line, at
 * least one person, and no more than the stated size. Each refusal says what is wrong.
 */
class GalleryJsonTest {

    @Test
    void aGalleryWrittenIsReadBack() {
        Gallery gallery = Gallery.of(List.of(new Person("Ann Lee", List.of(new Descriptor(values(0.01f))))));

        Gallery read = GalleryJson.read(GalleryJson.write(gallery), "test");

        assertThat(read.people()).singleElement().satisfies(person -> {
            assertThat(person.name()).isEqualTo("Ann Lee");
            assertThat(person.descriptors()).containsExactly(new Descriptor(values(0.01f)));
        });
    }

    /** As JSON tokens: Jackson reads the strings "NaN" and "Infinity" into a float, and 1e39 overflows to Infinity. */
    @ParameterizedTest
    @ValueSource(strings = {"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e39"})
    void aDescriptorValueThatIsNotAFiniteFloatIsRefused(String value) {
        String json = file("Ann", descriptor(value));

        assertThatThrownBy(() -> GalleryJson.read(json.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("gallery test holds a malformed person")
                .hasMessageContaining("a descriptor holds finite numbers only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Error", "Unknown", "NoFace", "unknown", "ERROR"})
    void anOutcomeWordIsNoName(String name) {
        assertThatThrownBy(() -> GalleryJson.read(file(name, descriptor("0.1")).getBytes(StandardCharsets.UTF_8),
                "test")).isInstanceOf(GalleryException.class).hasMessageContaining("is an outcome word");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ann\\tLee", "Ann\\nLee", "Ann\\r", "Ann\\u0000"})
    void aNameWithAControlCharacterIsRefused(String escapedName) {
        assertThatThrownBy(() -> GalleryJson.read(file(escapedName, descriptor("0.1"))
                .getBytes(StandardCharsets.UTF_8), "test")).isInstanceOf(GalleryException.class)
                .hasMessageContaining("holds a control character");
    }

    @Test
    void aGalleryWithNobodyIsRefused() {
        String json = "{\"format_version\":1,\"model\":\"" + Gallery.MODEL + "\",\"descriptor_size\":128,"
                + "\"people\":[]}";

        assertThatThrownBy(() -> GalleryJson.read(json.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOf(GalleryException.class).hasMessage("gallery test has no people");
    }

    @Test
    void anotherFormatVersionIsToldBeforeWhatItHolds() {
        assertThatThrownBy(() -> GalleryJson.read("{\"format_version\":7,\"people\":[]}"
                .getBytes(StandardCharsets.UTF_8), "test")).isInstanceOf(GalleryException.class)
                .hasMessage("gallery test has format version 7; this version reads 1");
        String versionless = file("Ann", descriptor("0.1")).replace("\"format_version\"", "\"version\"");
        assertThatThrownBy(() -> GalleryJson.read(versionless.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOf(GalleryException.class).hasMessage("gallery test has no format_version; this version "
                        + "reads 1");
    }

    @Test
    void aPersonWithoutDescriptorsIsRefused() {
        String json = "{\"format_version\":1,\"model\":\"" + Gallery.MODEL + "\",\"descriptor_size\":128,"
                + "\"people\":[{\"name\":\"Ann\",\"descriptors\":[]}]}";

        assertThatThrownBy(() -> GalleryJson.read(json.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOf(GalleryException.class).hasMessageContaining("Ann has no descriptor");
    }

    @Test
    void aFileAboveTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("gallery.json");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(GalleryJson.MAX_BYTES + 1); // sparse: nothing is written
        }

        assertThatThrownBy(() -> GalleryJson.read(big)).isInstanceOf(GalleryException.class)
                .hasMessageContaining("above the limit of " + GalleryJson.MAX_BYTES + " bytes (128 MiB)");
    }

    private static String file(String name, String descriptor) {
        return "{\"format_version\":1,\"model\":\"" + Gallery.MODEL + "\",\"descriptor_size\":128,"
                + "\"people\":[{\"name\":\"" + name + "\",\"descriptors\":[" + descriptor + "]}]}";
    }

    /** 128 values, the first one {@code first} as written in the JSON. */
    private static String descriptor(String first) {
        float[] rest = values(0.05f);
        return "[" + first + "," + Arrays.stream(Arrays.copyOf(toObjects(rest), Descriptor.LENGTH - 1))
                .map(String::valueOf).collect(Collectors.joining(",")) + "]";
    }

    private static Float[] toObjects(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    private static float[] values(float value) {
        float[] values = new float[Descriptor.LENGTH];
        Arrays.fill(values, value);
        return values;
    }
}
