package dev.facerec.recognition.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.recognition.Descriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gallery format 2: what it keeps, what it refuses, and that a file is read by its content whatever its name. */
class GalleryBinaryTest {
    private static final Gallery GALLERY = Gallery.of(List.of(
            new Person("Ann", List.of(descriptor(0.1f), descriptor(0.2f)), List.of("Ann/a.jpg", "Ann/b.jpg")),
            new Person("Bob Ö", List.of(descriptor(-0.3f))),
            new Person("Cy", List.of(descriptor(0.4f)), List.of("Cy/c.png"))));

    @Test
    void everythingComesBackIncludingWhichPhotosAreKnown() throws IOException {
        Gallery read = read(bytes(GALLERY));

        assertThat(read).isEqualTo(GALLERY);
        assertThat(read.people()).isEqualTo(GALLERY.people());
        assertThat(read.person(1).sources()).isEmpty();
        assertThat(read.person(2).sources()).containsExactly("Cy/c.png");
    }

    @Test
    void aFileIsReadByWhatItHoldsAndWrittenAsItsNameSays(@TempDir Path dir) throws IOException {
        Path binary = dir.resolve("people.json.bak");
        Path json = dir.resolve("people.JSON");

        assertThat(GalleryFiles.write(GALLERY, binary)).isEqualTo(GalleryFiles.Format.BINARY);
        assertThat(GalleryFiles.write(GALLERY, json)).isEqualTo(GalleryFiles.Format.JSON);

        assertThat(Files.readAllBytes(binary)).startsWith(GalleryBinary.MAGIC);
        assertThat(Files.readString(json)).startsWith("{");
        assertThat(GalleryFiles.read(binary)).isEqualTo(GALLERY);
        assertThat(GalleryFiles.read(json)).isEqualTo(GALLERY);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").hasSize(2);
        }
    }

    @Test
    void aFileCutShortOrWithMoreAfterItIsRefused() {
        byte[] whole = bytes(GALLERY);

        assertThatThrownBy(() -> read(Arrays.copyOf(whole, whole.length - 1))).isInstanceOf(GalleryException.class)
                .hasMessageContaining("is cut short");
        assertThatThrownBy(() -> read(Arrays.copyOf(whole, 40))).isInstanceOf(GalleryException.class)
                .hasMessageContaining("is cut short");
        assertThatThrownBy(() -> read(Arrays.copyOf(whole, whole.length + 1))).isInstanceOf(GalleryException.class)
                .hasMessageContaining("bytes after its last descriptor");
    }

    @Test
    void anotherModelOrVersionIsRefusedWithHowToMakeItAgain() {
        byte[] whole = bytes(GALLERY);
        byte[] otherVersion = whole.clone();
        ByteBuffer.wrap(otherVersion).putInt(GalleryBinary.MAGIC.length, 3);
        byte[] otherModel = new String(whole, StandardCharsets.ISO_8859_1).replace("dlib-resnet34", "dlib-resnet99")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> read(otherVersion)).isInstanceOf(GalleryException.class)
                .hasMessage("gallery test has format version 3; this version reads 1 (JSON) and 2 (binary): "
                        + GalleryJson.REENROL);
        assertThatThrownBy(() -> read(otherModel)).isInstanceOf(GalleryException.class)
                .hasMessageContaining("was made by model 'dlib-resnet99").hasMessageEndingWith(GalleryJson.REENROL);
    }

    @Test
    void aValueThatIsNotANumberOrANameNoPersonMayHaveIsRefused() {
        byte[] whole = bytes(GALLERY);
        byte[] nan = whole.clone();
        ByteBuffer.wrap(nan).putFloat(whole.length - Float.BYTES, Float.NaN);

        assertThatThrownBy(() -> read(nan)).isInstanceOf(GalleryException.class)
                .hasMessageContaining("Cy's descriptor value 127 is NaN");
        assertThatThrownBy(() -> read(renamed(whole, "Ann", "Error"))).isInstanceOf(GalleryException.class)
                .hasMessageContaining("'Error' is an outcome word");
        assertThatThrownBy(() -> read(renamed(whole, "Ann", "A\tB"))).isInstanceOf(GalleryException.class)
                .hasMessageContaining("holds a control character");
    }

    /** The file with a person's name (length-prefixed, as written) replaced. */
    private static byte[] renamed(byte[] file, String from, String to) {
        return new String(file, StandardCharsets.ISO_8859_1).replace(lengthPrefixed(from), lengthPrefixed(to))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String lengthPrefixed(String name) {
        return new String(ByteBuffer.allocate(4).putInt(name.length()).array(), StandardCharsets.ISO_8859_1) + name;
    }

    private static Gallery read(byte[] file) throws IOException {
        return GalleryFiles.read(new ByteArrayInputStream(file), "test");
    }

    private static byte[] bytes(Gallery gallery) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            GalleryBinary.write(gallery, out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static Descriptor descriptor(float value) {
        float[] values = new float[Descriptor.LENGTH];
        Arrays.fill(values, value);
        values[0] = value * 2;
        return new Descriptor(values);
    }
}
