package dev.facerec.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The {@code <stem>.json} written when a video cannot be processed: which stage failed and why. */
public record ErrorRecord(
        @JsonProperty("outcome") String outcome,
        @JsonProperty("stage") String stage,
        @JsonProperty("reason") String reason,
        @JsonProperty("source_bucket") String sourceBucket,
        @JsonProperty("source_key") String sourceKey,
        @JsonProperty("time") String time) {

    public static ErrorRecord of(String stage, String reason, String sourceBucket, String sourceKey) {
        return new ErrorRecord(Outcome.ERROR, stage, reason, sourceBucket, sourceKey, Instant.now().toString());
    }
}
