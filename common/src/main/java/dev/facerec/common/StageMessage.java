package dev.facerec.common;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;

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
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stage message is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (message == null || message.bucketName() == null || message.bucketName().isBlank()) {
            throw new IllegalArgumentException("stage message has no bucket_name");
        }
        if (message.imageFileName() == null || message.imageFileName().isBlank()) {
            throw new IllegalArgumentException("stage message has no image_file_name");
        }
        return message;
    }
}
