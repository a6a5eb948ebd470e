package dev.facerec.recognition.gallery;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.facerec.common.Json;
import dev.facerec.recognition.Descriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Gallery format 1: JSON with a format version, the model identity and descriptor size, and each person's
 * descriptors with, optionally, the photo each came from ({@code sources}, parallel to {@code descriptors}). Reading
 * refuses a file of another version or model with a message that says so and how to make it again. Read as a stream,
 * one person at a time into the gallery's arrays: a file of hundreds of megabytes never stands as a tree in memory.
 *
 * <p>{@code sources} came later without a new format version: it is an optional field, which readers that came
 * before it skip (the mapper ignores unknown fields), and a file without it reads with its sources unknown. Format 2
 * ({@link GalleryBinary}) is a new layout, not a change to this one: readers of either age read this one right.
 */
public final class GalleryJson {
    public static final int FORMAT_VERSION = 1;
    /** What to do with a gallery this version cannot read. */
    static final String REENROL = "enroll the people again with faas enroll --photos DIR --out FILE";

    /** {@code sources} null: unknown (not written, or a file from before they were kept). */
    record PersonJson(@JsonProperty("name") String name, @JsonProperty("descriptors") List<float[]> descriptors,
                      @JsonProperty("sources") List<String> sources) {
    }

    private GalleryJson() {
    }

    public static byte[] write(Gallery gallery) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(gallery, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code gallery} to {@code out} (left open), person by person. */
    public static void write(Gallery gallery, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("format_version", FORMAT_VERSION);
            json.writeStringField("model", gallery.model());
            json.writeNumberField("descriptor_size", gallery.descriptorSize());
            json.writeArrayFieldStart("people");
            for (int p = 0; p < gallery.personCount(); p++) {
                Person person = gallery.person(p);
                Json.MAPPER.writeValue(json, new PersonJson(person.name(),
                        person.descriptors().stream().map(Descriptor::values).toList(),
                        person.sources().isEmpty() ? null : person.sources()));
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    public static Gallery read(byte[] json, String where) {
        try {
            return read(new ByteArrayInputStream(json), where);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail to be read
        }
    }

    /**
     * Reads a format-1 gallery from {@code in} (left open); {@code where} names it in messages. Throws
     * {@link GalleryException} for a file that is not a gallery of this version and model, IOException when the
     * stream itself fails.
     */
    public static Gallery read(InputStream in, String where) throws IOException {
        Integer version = null;
        String model = null;
        int descriptorSize = 0;
        Gallery.Builder people = null;
        try (JsonParser json = Json.MAPPER.getFactory().createParser(in)) {
            json.configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new GalleryException("gallery " + where + " is not a readable gallery file: not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "format_version" -> version = value == JsonToken.VALUE_NULL ? null : json.getIntValue();
                    case "model" -> model = json.getValueAsString();
                    case "descriptor_size" -> descriptorSize = json.getIntValue();
                    case "people" -> {
                        // Our writer puts these first: a wrong version or model is told before any person is read.
                        checkVersion(version, where);
                        if (model != null) {
                            checkModel(model, descriptorSize, where);
                        }
                        people = readPeople(json, value, where);
                    }
                    default -> json.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new GalleryException("gallery " + where + " is not a readable gallery file: "
                    + e.getOriginalMessage(), e);
        }
        checkVersion(version, where);
        if (people == null || people.descriptorCount() == 0) {
            // Every face would come out Unknown: an empty gallery is a mistake, not a configuration.
            throw new GalleryException("gallery " + where + " has no people");
        }
        if (version == null) {
            throw new GalleryException("gallery " + where + " has no format_version; this version reads "
                    + FORMAT_VERSION + ": " + REENROL);
        }
        checkModel(model, descriptorSize, where);
        return people.build();
    }

    private static Gallery.Builder readPeople(JsonParser json, JsonToken start, String where) throws IOException {
        Gallery.Builder people = Gallery.builder(Gallery.MODEL, Descriptor.LENGTH);
        if (start == JsonToken.VALUE_NULL) {
            return people;
        }
        if (start != JsonToken.START_ARRAY) {
            throw new GalleryException("gallery " + where + " is not a readable gallery file: people is not a list");
        }
        while (json.nextToken() == JsonToken.START_OBJECT) {
            PersonJson person = json.readValueAs(PersonJson.class);
            try {
                people.add(new Person(person.name(), person.descriptors().stream().map(Descriptor::new).toList(),
                        person.sources()));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new GalleryException("gallery " + where + " holds a malformed person: " + e.getMessage(), e);
            }
        }
        if (json.currentToken() != JsonToken.END_ARRAY) {
            throw new GalleryException("gallery " + where + " holds a malformed person: not a JSON object");
        }
        return people;
    }

    private static void checkVersion(Integer version, String where) {
        // Another version is told first, whatever else the file holds: its fields may mean other things.
        if (version != null && version != FORMAT_VERSION) {
            throw new GalleryException("gallery " + where + " has format version " + version
                    + "; this version reads " + FORMAT_VERSION + " (JSON) and " + GalleryBinary.FORMAT_VERSION
                    + " (binary): " + REENROL);
        }
    }

    /** A model other than this project's, or another descriptor size, is refused. */
    static void checkModel(String model, int descriptorSize, String where) {
        if (!Gallery.MODEL.equals(model) || descriptorSize != Descriptor.LENGTH) {
            throw new GalleryException("gallery " + where + " was made by model '" + model + "' ("
                    + descriptorSize + "-d); this function uses '" + Gallery.MODEL + "' ("
                    + Descriptor.LENGTH + "-d): " + REENROL);
        }
    }
}
