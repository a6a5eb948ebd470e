package dev.facerec.recognition.gallery;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.facerec.common.Json;
import dev.facerec.recognition.Descriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The gallery file: JSON with a format version, the model identity and descriptor size, and each person's
 * descriptors. Reading refuses a file of another version or model with a message that says so.
 */
public final class GalleryJson {
    public static final int FORMAT_VERSION = 1;
    /** The largest gallery file read: JSON holds about 45,000 descriptors in this. */
    public static final long MAX_BYTES = 128L << 20;

    record PersonJson(@JsonProperty("name") String name, @JsonProperty("descriptors") List<float[]> descriptors) {
    }

    /** {@code formatVersion} null: the file has none. */
    record FileJson(@JsonProperty("format_version") Integer formatVersion, @JsonProperty("model") String model,
                    @JsonProperty("descriptor_size") int descriptorSize,
                    @JsonProperty("people") List<PersonJson> people) {
    }

    private GalleryJson() {
    }

    public static byte[] write(Gallery gallery) {
        List<PersonJson> people = gallery.people().stream()
                .map(p -> new PersonJson(p.name(), p.descriptors().stream().map(Descriptor::values).toList()))
                .toList();
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    new FileJson(FORMAT_VERSION, gallery.model(), gallery.descriptorSize(), people));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Gallery read(byte[] json, String where) {
        FileJson file;
        try {
            file = Json.MAPPER.readValue(json, FileJson.class);
        } catch (IOException e) {
            throw new GalleryException("gallery " + where + " is not a readable gallery file: "
                    + (e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()), e);
        }
        // Another version is told first, whatever else the file holds: its fields may mean other things.
        if (file != null && file.formatVersion() != null && file.formatVersion() != FORMAT_VERSION) {
            throw new GalleryException("gallery " + where + " has format version " + file.formatVersion()
                    + "; this version reads " + FORMAT_VERSION);
        }
        if (file == null || file.people() == null || file.people().isEmpty()) {
            // Every face would come out Unknown: an empty gallery is a mistake, not a configuration.
            throw new GalleryException("gallery " + where + " has no people");
        }
        if (file.formatVersion() == null) {
            throw new GalleryException("gallery " + where + " has no format_version; this version reads "
                    + FORMAT_VERSION);
        }
        if (!Gallery.MODEL.equals(file.model()) || file.descriptorSize() != Descriptor.LENGTH) {
            throw new GalleryException("gallery " + where + " was made by model '" + file.model() + "' ("
                    + file.descriptorSize() + "-d); this function uses '" + Gallery.MODEL + "' ("
                    + Descriptor.LENGTH + "-d): enroll the people again");
        }
        try {
            return Gallery.of(file.people().stream()
                    .map(p -> new Person(p.name(), p.descriptors().stream().map(Descriptor::new).toList()))
                    .toList());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new GalleryException("gallery " + where + " holds a malformed person: " + e.getMessage(), e);
        }
    }

    /** {@link #read} of a file, refusing one above {@link #MAX_BYTES} before reading it. */
    public static Gallery read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw tooLarge(file.toString(), size);
        }
        return read(Files.readAllBytes(file), file.toString());
    }

    /** The refusal of a gallery of {@code bytes}, above {@link #MAX_BYTES}. */
    public static GalleryException tooLarge(String where, long bytes) {
        return new GalleryException("gallery " + where + " is " + bytes + " bytes, above the limit of " + MAX_BYTES
                + " bytes (" + (MAX_BYTES >> 20) + " MiB)");
    }
}
