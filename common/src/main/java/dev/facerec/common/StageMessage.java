package dev.facerec.common;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The message from video-splitting to face-recognition. {@code bucket_name} and {@code image_file_name} are the
 * original project's payload, kept for compatibility; the other fields trace the frame back to its video.
 */
public record StageMessage(
        @JsonProperty("bucket_name") String bucketName,
        @JsonProperty("image_file_name") String imageFileName,
        @JsonProperty("source_bucket") String sourceBucket,
        @JsonProperty("source_key") String sourceKey,
        @JsonProperty("source_etag") String sourceETag,
        @JsonProperty("source_sequencer") String sourceSequencer,
        @JsonProperty("frame_time_seconds") Double frameTimeSeconds) {

    public static StageMessage of(String bucketName, String imageFileName) {
        return new StageMessage(bucketName, imageFileName, null, null, null, null, null);
    }

    /** The upload this frame came from; null for a message without it (the original project's two fields). */
    @JsonIgnore
    public Upload upload() {
        return sourceETag == null ? null : new Upload(sourceETag, sourceSequencer);
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and checks the two required fields; a message without them is refused with the field's name. */
    public static StageMessage fromJson(String json) {
        StageMessage message;
        try {
            message = Json.MAPPER.readValue(json, StageMessage.class);
        } catch (JsonMappingException e) {
            // Valid JSON with a field Jackson cannot bind: name the field.
            String field = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(Objects::nonNull).collect(Collectors.joining("."));
            throw new IllegalArgumentException(field.isEmpty() ? "stage message is not valid: " + e.getOriginalMessage()
                    : "stage message field " + field + " has the wrong type: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stage message is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (message == null || isBlank(message.bucketName())) {
            throw new IllegalArgumentException("stage message has no bucket_name");
        }
        if (isBlank(message.imageFileName())) {
            throw new IllegalArgumentException("stage message has no image_file_name");
        }
        return message;
    }

    /**
     * What can be read of a message {@link #fromJson} refused: each text field as given, any other left out (null).
     * Empty when it does not name a frame (no {@code bucket_name} or {@code image_file_name} as text).
     */
    public static Optional<StageMessage> readableFieldsOf(String json) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (tree == null || !tree.isObject()) {
            return Optional.empty();
        }
        StageMessage readable = new StageMessage(text(tree, "bucket_name"), text(tree, "image_file_name"),
                text(tree, "source_bucket"), text(tree, "source_key"), text(tree, "source_etag"),
                text(tree, "source_sequencer"), null);
        return isBlank(readable.bucketName()) || isBlank(readable.imageFileName()) ? Optional.empty()
                : Optional.of(readable);
    }

    private static String text(JsonNode tree, String field) {
        JsonNode value = tree.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
