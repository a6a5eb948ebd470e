package dev.facerec.common;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The message from video-splitting to face-recognition, one per video. {@code bucket_name} and
 * {@code image_file_name} are the original project's payload, kept for compatibility: the video's first frame. The
 * other fields trace the frame back to its video. With {@code FRAMES=keyframes}, {@code frames} lists every frame of
 * the video in time order, the first included, and {@code complete} is false, with the reason, when they stop before
 * the video's end; a message without {@code frames} is of the first frame alone.
 */
public record StageMessage(
        @JsonProperty("bucket_name") String bucketName,
        @JsonProperty("image_file_name") String imageFileName,
        @JsonProperty("source_bucket") String sourceBucket,
        @JsonProperty("source_key") String sourceKey,
        @JsonProperty("source_etag") String sourceETag,
        @JsonProperty("source_sequencer") String sourceSequencer,
        @JsonProperty("frame_time_seconds") Double frameTimeSeconds,
        @JsonProperty("frames") @JsonInclude(JsonInclude.Include.NON_NULL) List<FrameRef> frames,
        @JsonProperty("complete") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean complete,
        @JsonProperty("incomplete_reason") @JsonInclude(JsonInclude.Include.NON_NULL) String incompleteReason) {

    /** Lambda's limit on an async invoke's payload. */
    public static final int MAX_ASYNC_PAYLOAD_BYTES = 256 * 1024;

    /** One frame of the video: its stage-1 key and its time in the video. */
    public record FrameRef(@JsonProperty("key") String key, @JsonProperty("seconds") double seconds) {
    }

    public StageMessage(String bucketName, String imageFileName, String sourceBucket, String sourceKey,
                        String sourceETag, String sourceSequencer, Double frameTimeSeconds) {
        this(bucketName, imageFileName, sourceBucket, sourceKey, sourceETag, sourceSequencer, frameTimeSeconds, null,
                null, null);
    }

    public static StageMessage of(String bucketName, String imageFileName) {
        return new StageMessage(bucketName, imageFileName, null, null, null, null, null);
    }

    /** The frames to recognise: {@code frames}, or the one frame of a message without them. */
    @JsonIgnore
    public List<FrameRef> framesToRecognise() {
        return frames != null && !frames.isEmpty() ? frames
                : List.of(new FrameRef(imageFileName, frameTimeSeconds == null ? 0 : frameTimeSeconds));
    }

    /** Whether the frames cover the whole video: true unless the splitter said otherwise. */
    @JsonIgnore
    public boolean coversTheVideo() {
        return complete == null || complete;
    }

    /** The upload this frame came from; null for a message without it (the original project's two fields). */
    @JsonIgnore
    public Upload upload() {
        return sourceETag == null ? null : new Upload(sourceETag, sourceSequencer);
    }

    /**
     * This message, or one whose frame list is thinned (the first frame kept, then every other one, as often as
     * needed) to fit {@link #MAX_ASYNC_PAYLOAD_BYTES}, marked incomplete with the reason. Only a video key near S3's
     * 1024-byte limit with hundreds of frames comes near it: 120 frames of a short key take about 7 KB.
     */
    public StageMessage fittedToAsyncPayload() {
        StageMessage fitted = this;
        while (fitted.frames != null && fitted.frames.size() > 1
                && fitted.toJson().getBytes(StandardCharsets.UTF_8).length > MAX_ASYNC_PAYLOAD_BYTES) {
            List<FrameRef> kept = new ArrayList<>();
            for (int i = 0; i < fitted.frames.size(); i += 2) {
                kept.add(fitted.frames.get(i));
            }
            String reason = "the frame list was thinned from " + frames.size() + " to " + kept.size()
                    + " frames to fit Lambda's 256 KB async payload"
                    + (coversTheVideo() ? "" : "; " + incompleteReason);
            fitted = new StageMessage(bucketName, imageFileName, sourceBucket, sourceKey, sourceETag, sourceSequencer,
                    frameTimeSeconds, List.copyOf(kept), false, reason);
        }
        return fitted;
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
        if (message.frames() != null) {
            if (message.frames().isEmpty() || !message.imageFileName().equals(message.frames().get(0).key())) {
                throw new IllegalArgumentException("stage message field frames must start with image_file_name");
            }
            for (FrameRef frame : message.frames()) {
                if (frame == null || isBlank(frame.key())) {
                    throw new IllegalArgumentException("stage message field frames has a frame without a key");
                }
            }
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
