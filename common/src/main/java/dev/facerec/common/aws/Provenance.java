package dev.facerec.common.aws;

import dev.facerec.common.Upload;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Which upload of a video an object of the pipeline (frame, outcome, record) was made from, kept in the object's user
 * metadata: the video's ETag and the S3 event's sequencer (see {@link Upload}). Comparing them tells work already
 * done for this event (a redelivery), a frame that the same bytes already gave, and work for a version that is gone.
 */
public final class Provenance {
    /** User metadata (HTTP header {@code x-amz-meta-source-etag}) holding the source video's ETag. */
    public static final String SOURCE_ETAG = "source-etag";
    /** User metadata holding the sequencer of the S3 event that brought the video. */
    public static final String SOURCE_SEQUENCER = "source-sequencer";

    private Provenance() {
    }

    /** The metadata that records {@code upload}; empty for null. */
    public static Map<String, String> metadataOf(Upload upload) {
        Map<String, String> metadata = new HashMap<>();
        if (upload != null && upload.eTag() != null) {
            metadata.put(SOURCE_ETAG, upload.eTag());
            if (upload.sequencer() != null) {
                metadata.put(SOURCE_SEQUENCER, upload.sequencer());
            }
        }
        return metadata;
    }

    /** Whether metadata written by {@link #metadataOf} recorded this very upload (bytes and event). */
    public static boolean recordsUpload(Map<String, String> metadata, Upload upload) {
        return upload != null && upload.sameBytes(metadata.get(SOURCE_ETAG))
                && Objects.equals(upload.sequencer(), metadata.get(SOURCE_SEQUENCER));
    }

    /** The object's user metadata, or empty when the object does not exist. Other failures are thrown. */
    public static Optional<Map<String, String>> metadata(S3Client s3, String bucket, String key) {
        return head(s3, bucket, key).map(HeadObjectResponse::metadata);
    }

    /** The current ETag of an object, or empty when it does not exist. Other failures are thrown. */
    public static Optional<String> currentETag(S3Client s3, String bucket, String key) {
        return head(s3, bucket, key).map(head -> Upload.plain(head.eTag()));
    }

    private static Optional<HeadObjectResponse> head(S3Client s3, String bucket, String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
