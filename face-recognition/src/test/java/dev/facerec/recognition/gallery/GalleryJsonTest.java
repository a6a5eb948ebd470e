package dev.facerec.recognition.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.facerec.common.Json;
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
 * least one person, each descriptor's photo or none, and no more than the stated size. Each refusal says what is
 * wrong; galleries written before the photos were kept load, and readers from before read galleries written now.
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

    @Test
    void eachDescriptorsPhotoIsWrittenBesideItAndReadBack() {
        Gallery gallery = Gallery.of(List.of(new Person("Amy", List.of(new Descriptor(values(0.01f)),
                new Descriptor(values(0.02f))), List.of("Amy/amy1.png", "Amy/amy 2.jpg")),
                new Person("Bob", List.of(new Descriptor(values(0.03f))))));

        String json = new String(GalleryJson.write(gallery), StandardCharsets.UTF_8);
        Gallery read = GalleryJson.read(json.getBytes(StandardCharsets.UTF_8), "test");

        assertThat(json).contains("\"format_version\" : 1")
                .contains("\"sources\" : [ \"Amy/amy1.png\", \"Amy/amy 2.jpg\" ]");
        assertThat(read.people().get(0).sources()).containsExactly("Amy/amy1.png", "Amy/amy 2.jpg");
        assertThat(read.people().get(0).source(1)).contains("Amy/amy 2.jpg");
        assertThat(read.people().get(1).sources()).as("not known: none written").isEmpty();
        assertThat(read.people().get(1).source(0)).isEmpty();
    }

    /** A gallery file exactly as faas enroll wrote it before the sources were kept. */
    @Test
    void aGalleryFromBeforeTheSourcesStillLoadsWithTheirPhotosUnknown() {
        String before = "{\n  \"format_version\" : 1,\n  \"model\" : \"" + Gallery.MODEL + "\",\n"
                + "  \"descriptor_size\" : 128,\n  \"people\" : [ {\n    \"name\" : \"Ann\",\n"
                + "    \"descriptors\" : [ " + descriptor("0.1") + ", " + descriptor("0.2") + " ]\n  } ]\n}";

        Gallery read = GalleryJson.read(before.getBytes(StandardCharsets.UTF_8), "test");

        assertThat(read.people()).singleElement().satisfies(ann -> {
            assertThat(ann.descriptors()).hasSize(2);
            assertThat(ann.sources()).isEmpty();
        });
    }

    /**
     * What a reader from before the sources does with a gallery written now: the same fields, of the same names
     * and types, and one more that the project's mapper skips. (Its records, as they stood.)
     */
    @Test
    void aReaderFromBeforeTheSourcesReadsAGalleryWrittenNow() throws Exception {
        Gallery gallery = Gallery.of(List.of(new Person("Amy", List.of(new Descriptor(values(0.01f))),
                List.of("Amy/amy1.png"))));

        OldFile old = Json.MAPPER.readValue(GalleryJson.write(gallery), OldFile.class);

        assertThat(old.formatVersion()).isEqualTo(GalleryJson.FORMAT_VERSION).isOne();
        assertThat(old.model()).isEqualTo(Gallery.MODEL);
        assertThat(old.descriptorSize()).isEqualTo(Descriptor.LENGTH);
        assertThat(old.people()).singleElement().satisfies(amy -> {
            assertThat(amy.name()).isEqualTo("Amy");
            assertThat(amy.descriptors()).singleElement().isEqualTo(values(0.01f));
        });
    }

    record OldPerson(@JsonProperty("name") String name, @JsonProperty("descriptors") List<float[]> descriptors) {
    }

    record OldFile(@JsonProperty("format_version") Integer formatVersion, @JsonProperty("model") String model,
                   @JsonProperty("descriptor_size") int descriptorSize,
                   @JsonProperty("people") List<OldPerson> people) {
    }

    @Test
    void sourcesThatDoNotMatchTheDescriptorsAreRefused() {
        String json = file("Ann", descriptor("0.1"))
                .replace("]]}]}", "]],\"sources\":[\"Ann/a.jpg\",\"Ann/b.jpg\"]}]}");

        assertThatThrownBy(() -> GalleryJson.read(json.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOf(GalleryException.class)
                .hasMessage("gallery test holds a malformed person: Ann has 1 descriptors but 2 sources: one source "
                        + "per descriptor, or none");
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
    void anotherFormatVersionIsToldBeforeWhatItHoldsWithHowToMakeItAgain() {
        assertThatThrownBy(() -> GalleryJson.read("{\"format_version\":7,\"people\":[]}"
                .getBytes(StandardCharsets.UTF_8), "test")).isInstanceOf(GalleryException.class)
                .hasMessage("gallery test has format version 7; this version reads 1 (JSON) and 2 (binary): enroll "
                        + "the people again with faas enroll --photos DIR --out FILE");
        String versionless = file("Ann", descriptor("0.1")).replace("\"format_version\"", "\"version\"");
        assertThatThrownBy(() -> GalleryJson.read(versionless.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOf(GalleryException.class).hasMessage("gallery test has no format_version; this version "
                        + "reads 1: enroll the people again with faas enroll --photos DIR --out FILE");
    }

    @Test
    void aGalleryOfAnotherModelSaysHowToMakeItAgain() {
        String json = file("Ann", descriptor("0.1")).replace(Gallery.MODEL, "facenet@1");

        assertThatThrownBy(() -> GalleryJson.read(json.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOf(GalleryException.class).hasMessage("gallery test was made by model 'facenet@1' (128-d); "
                        + "this function uses '" + Gallery.MODEL + "' (128-d): enroll the people again with faas "
                        + "enroll --photos DIR --out FILE");
    }

    @Test
    void aPersonWithoutDescriptorsIsRefused() {
        String json = "{\"format_version\":1,\"model\":\"" + Gallery.MODEL + "\",\"descriptor_size\":128,"
                + "\"people\":[{\"name\":\"Ann\",\"descriptors\":[]}]}";

        assertThatThrownBy(() -> GalleryJson.read(json.getBytes(StandardCharsets.UTF_8), "test"))
                .isInstanceOf(GalleryException.class).hasMessageContaining("Ann has no descriptor");
    }

    /** Read as a stream: a large file that is no gallery is refused at its first bytes, not read whole. */
    @Test
    void aLargeFileThatIsNoGalleryIsRefusedAtItsStart(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("gallery.json");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(8L << 30); // 8 GiB of zeros, sparse: nothing is written
        }

        assertThatThrownBy(() -> GalleryFiles.read(big)).isInstanceOf(GalleryException.class)
                .hasMessageContaining("is not a readable gallery file");
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
