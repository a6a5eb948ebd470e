package dev.facerec.common.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.facerec.common.ErrorRecord;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Outcome;
import dev.facerec.common.Upload;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Writes a video's outcome to the output bucket: {@code <stem>.json} (the record) first, then {@code <stem>.txt} (the
 * outcome alone, no newline), so that a reader who sees the .txt also finds its record. Both record the upload they
 * describe (see {@link Provenance}), when it is known. The record carries the tag {@link #RECORD_TAG}, by which the
 * output bucket's lifecycle rule can expire records (they hold face boxes and landmarks) and keep the names.
 */
public final class OutcomeWriter {
    /** The tag of every {@code <stem>.json} record: template.yaml's OutcomeRecordRetentionDays expires by it. */
    public static final String RECORD_TAG = "faas-object=record";
    private final S3Client s3;
    private final String outputBucket;

    public OutcomeWriter(S3Client s3, String outputBucket) {
        this.s3 = s3;
        this.outputBucket = outputBucket;
    }

    /** @param upload the upload the outcome is for; null when unknown (the video could not be read) */
    public void write(String sourceKey, Upload upload, String outcome, Object record) {
        Map<String, String> metadata = Provenance.metadataOf(upload);
        put(ObjectKeys.recordKey(sourceKey), toJson(record), "application/json", metadata, RECORD_TAG);
        put(ObjectKeys.outcomeKey(sourceKey), outcome.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8",
                metadata, null);
    }

    public void writeError(String sourceKey, Upload upload, ErrorRecord record) {
        write(sourceKey, upload, Outcome.ERROR, record);
    }

    /** Whether the outcome of {@code sourceKey} is already written for this very upload (a redelivered event). */
    public boolean isWritten(String sourceKey, Upload upload) {
        return upload != null && Provenance.metadata(s3, outputBucket, ObjectKeys.outcomeKey(sourceKey))
                .map(metadata -> Provenance.recordsUpload(metadata, upload)).orElse(false);
    }

    /** Whether the outcome of {@code sourceKey} is already written for these bytes, by whichever upload of them. */
    public boolean isWrittenForBytes(String sourceKey, Upload upload) {
        return Provenance.metadata(s3, outputBucket, ObjectKeys.outcomeKey(sourceKey))
                .map(metadata -> upload.sameBytes(metadata.get(Provenance.SOURCE_ETAG))).orElse(false);
    }

    private void put(String key, byte[] body, String contentType, Map<String, String> metadata, String tagging) {
        s3.putObject(PutObjectRequest.builder().bucket(outputBucket).key(key).contentType(contentType)
                .metadata(metadata).tagging(tagging).build(), RequestBody.fromBytes(body));
    }

    private static byte[] toJson(Object record) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
