package dev.facerec.common.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.facerec.common.ErrorRecord;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Outcome;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Writes a video's outcome to the output bucket: {@code <stem>.json} (the record) first, then {@code <stem>.txt} (the
 * outcome alone, no newline), so that a reader who sees the .txt also finds its record.
 */
public final class OutcomeWriter {
    private final S3Client s3;
    private final String outputBucket;

    public OutcomeWriter(S3Client s3, String outputBucket) {
        this.s3 = s3;
        this.outputBucket = outputBucket;
    }

    public void write(String sourceKey, String outcome, Object record) {
        put(ObjectKeys.recordKey(sourceKey), toJson(record), "application/json");
        put(ObjectKeys.outcomeKey(sourceKey), outcome.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    public void writeError(String sourceKey, ErrorRecord record) {
        write(sourceKey, Outcome.ERROR, record);
    }

    private void put(String key, byte[] body, String contentType) {
        s3.putObject(PutObjectRequest.builder().bucket(outputBucket).key(key).contentType(contentType).build(),
                RequestBody.fromBytes(body));
    }

    private static byte[] toJson(Object record) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
