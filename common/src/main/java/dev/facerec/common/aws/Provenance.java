package dev.facerec.common.aws;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Which version of a video an object of the pipeline was made from: the video's ETag, kept in the object's user
 * metadata. S3 events and async invokes are delivered at least once, and a video can be replaced while in flight;
 * comparing this tag with the video's ETag tells work already done, and work for a version that is gone.
 */
public final class Provenance {
    /** User metadata (HTTP header {@code x-amz-meta-source-etag}) holding the source video's ETag. */
    public static final String SOURCE_ETAG = "source-etag";

    private Provenance() {
    }

    /** An ETag as S3 compares it: without the quotes that HTTP puts around it. */
    public static String plain(String eTag) {
        return eTag == null ? null : eTag.replace("\"", "");
    }

    /** The object's user metadata, or empty when the object does not exist. Other failures are thrown. */
    public static Optional<Map<String, String>> metadata(S3Client s3, String bucket, String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)).metadata());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The current ETag of an object, or empty when it does not exist. Other failures are thrown. */
    public static Optional<String> currentETag(S3Client s3, String bucket, String key) {
        try {
            return Optional.of(plain(s3.headObject(b -> b.bucket(bucket).key(key)).eTag()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether {@code bucket/key} exists and was made from the video version {@code eTag}. */
    public static boolean madeFrom(S3Client s3, String bucket, String key, String eTag) {
        return eTag != null && metadata(s3, bucket, key)
                .map(m -> plain(eTag).equals(m.get(SOURCE_ETAG))).orElse(false);
    }
}
