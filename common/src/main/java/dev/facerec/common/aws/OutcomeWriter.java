package dev.facerec.common.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.facerec.common.ErrorRecord;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Outcome;
import dev.facerec.common.Upload;
import dev.facerec.common.aws.Provenance.Order;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes a video's outcome to the output bucket: {@code <stem>.json} (the record) first, then {@code <stem>.txt} (the
 * outcome alone, no newline), so that a reader who sees the .txt also finds its record. Both record the upload they
 * describe (see {@link Provenance}), when it is known. The record carries the tag {@link #RECORD_TAG}, by which the
 * output bucket's lifecycle rule can expire records (they hold face boxes and landmarks) and keep the names.
 *
 * <p>Deliveries run at the same time (at-least-once events, a video uploaded again while in flight), so both PUTs are
 * conditional on what was read just before ({@code If-Match} its ETag, {@code If-None-Match: *} when there was
 * nothing): a writer whose object changed meanwhile gets 412, reads again and decides again. The .txt is the commit;
 * the .json is the claim of the upload being written, and holds its outcome too, so that a delivery which finds its
 * own upload claimed but not committed (another delivery in between its two PUTs, or stopped there) commits that
 * outcome instead of writing another record. Hence an upload's outcome is written once, however many deliveries race,
 * and neither object is replaced by an older upload's ({@link Provenance#order}) than the one it records.
 */
public final class OutcomeWriter {
    /** The tag of every {@code <stem>.json} record: template.yaml's OutcomeRecordRetentionDays expires by it. */
    public static final String RECORD_TAG = "faas-object=record";
    /** User metadata of a record holding its outcome, URL-encoded (names need not be ASCII). */
    static final String OUTCOME = "outcome";
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);
    private final S3Client s3;
    private final String outputBucket;

    /** What {@link #write} did. */
    public enum Result {
        /** The outcome is now this upload's. */
        WRITTEN,
        /** It already was: another delivery of this upload wrote it. Nothing was written. */
        ALREADY_WRITTEN,
        /** A newer upload's outcome is written, or being written: it stays, and nothing was written. */
        SUPERSEDED
    }

    public OutcomeWriter(S3Client s3, String outputBucket) {
        this.s3 = s3;
        this.outputBucket = outputBucket;
    }

    /** @param upload the upload the outcome is for; null when unknown (the video could not be read) */
    public Result write(String sourceKey, Upload upload, String outcome, Object record) {
        String recordKey = ObjectKeys.recordKey(sourceKey);
        String outcomeKey = ObjectKeys.outcomeKey(sourceKey);
        byte[] json = toJson(record);
        // Each pass after the first follows another writer's successful PUT, and every such PUT records a newer
        // upload than the one it replaced (or none, from an upload-less writer): the passes come to an end.
        while (true) {
            Optional<HeadObjectResponse> committed = Provenance.head(s3, outputBucket, outcomeKey);
            Order commit = orderOf(committed, upload);
            if (commit != Order.OLDER) {
                return left(sourceKey, commit == Order.SAME ? Result.ALREADY_WRITTEN : Result.SUPERSEDED);
            }
            Optional<HeadObjectResponse> claimed = Provenance.head(s3, outputBucket, recordKey);
            Order claim = orderOf(claimed, upload);
            if (claim == Order.NEWER) {
                return left(sourceKey, Result.SUPERSEDED);
            }
            String claimedOutcome = claim == Order.SAME ? outcomeOf(claimed.get()) : null;
            Map<String, String> metadata = Provenance.metadataOf(upload);
            try {
                if (claimedOutcome == null) {
                    Map<String, String> recordMetadata = new HashMap<>(metadata);
                    recordMetadata.put(OUTCOME, URLEncoder.encode(outcome, StandardCharsets.UTF_8));
                    put(recordKey, json, "application/json", recordMetadata, RECORD_TAG, claimed);
                }
                put(outcomeKey, (claimedOutcome == null ? outcome : claimedOutcome).getBytes(StandardCharsets.UTF_8),
                        "text/plain; charset=utf-8", metadata, null, committed);
                return Result.WRITTEN;
            } catch (S3Exception e) {
                if (!changedMeanwhile(e)) {
                    throw e;
                }
                LOG.atDebug().addKeyValue("video", sourceKey).addKeyValue("status", e.statusCode())
                        .log("outcome written by another delivery meanwhile: read again");
            }
        }
    }

    public Result writeError(String sourceKey, Upload upload, ErrorRecord record) {
        return write(sourceKey, upload, Outcome.ERROR, record);
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

    private static Result left(String sourceKey, Result result) {
        LOG.atInfo().addKeyValue("video", sourceKey).addKeyValue("result", result)
                .log(result == Result.SUPERSEDED ? "a newer upload's outcome is written: left as it is"
                        : "outcome already written for this upload by another delivery: nothing written");
        return result;
    }

    /** PUTs {@code key} only if it is still as {@code read} saw it. */
    private void put(String key, byte[] body, String contentType, Map<String, String> metadata, String tagging,
                     Optional<HeadObjectResponse> read) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(outputBucket).key(key)
                .contentType(contentType).metadata(metadata).tagging(tagging);
        read.ifPresentOrElse(head -> request.ifMatch(head.eTag()), () -> request.ifNoneMatch("*"));
        s3.putObject(request.build(), RequestBody.fromBytes(body));
    }

    private static Order orderOf(Optional<HeadObjectResponse> object, Upload upload) {
        return object.map(head -> Provenance.order(head.metadata(), upload)).orElse(Order.OLDER);
    }

    /** The outcome a record holds; null for a record written before records held it, or not URL-encoded. */
    private static String outcomeOf(HeadObjectResponse record) {
        String encoded = record.metadata().get(OUTCOME);
        try {
            return encoded == null ? null : URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notUrlEncoded) {
            return null;
        }
    }

    /**
     * Whether a conditional PUT was refused because the object changed since it was read: 412, 409 (S3's
     * ConditionalRequestConflict: another conditional write to it under way), or 404 NoSuchKey (deleted since, say
     * a record expired by its lifecycle rule).
     */
    private static boolean changedMeanwhile(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409 || (e.statusCode() == 404
                && e.awsErrorDetails() != null && "NoSuchKey".equals(e.awsErrorDetails().errorCode()));
    }

    private static byte[] toJson(Object record) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
