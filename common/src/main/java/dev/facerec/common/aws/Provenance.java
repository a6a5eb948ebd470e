package dev.facerec.common.aws;

import dev.facerec.common.Upload;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
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
 * A frame also names its video (bucket and key): only the splitter writes frames, so this, not the stage message,
 * says whose outcome a frame gives.
 */
public final class Provenance {
    /** User metadata (HTTP header {@code x-amz-meta-source-etag}) holding the source video's ETag. */
    public static final String SOURCE_ETAG = "source-etag";
    /** User metadata holding the sequencer of the S3 event that brought the video. */
    public static final String SOURCE_SEQUENCER = "source-sequencer";
    /** User metadata of a frame holding its video's bucket. */
    public static final String SOURCE_BUCKET = "source-bucket";
    /** User metadata of a frame holding its video's key, URL-encoded: metadata travels as ASCII HTTP headers. */
    public static final String SOURCE_KEY = "source-key";

    /** The video a frame was taken from, and which upload of it. */
    public record Origin(String bucket, String key, Upload upload) {
    }

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

    /** The metadata of a frame of {@code origin}: its upload, bucket and key. */
    public static Map<String, String> frameMetadataOf(Origin origin) {
        Map<String, String> metadata = metadataOf(origin.upload());
        metadata.put(SOURCE_BUCKET, origin.bucket());
        metadata.put(SOURCE_KEY, URLEncoder.encode(origin.key(), StandardCharsets.UTF_8));
        return metadata;
    }

    /**
     * The video that metadata written by {@link #frameMetadataOf} names; empty when its bucket, key or ETag is
     * missing, or the key is not URL-encoded.
     */
    public static Optional<Origin> originOf(Map<String, String> metadata) {
        String bucket = metadata.get(SOURCE_BUCKET);
        String key = metadata.get(SOURCE_KEY);
        String eTag = metadata.get(SOURCE_ETAG);
        if (bucket == null || key == null || eTag == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Origin(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8),
                    new Upload(eTag, metadata.get(SOURCE_SEQUENCER))));
        } catch (IllegalArgumentException notUrlEncoded) {
            return Optional.empty();
        }
    }

    /** Whether metadata written by {@link #metadataOf} recorded this very upload (bytes and event). */
    public static boolean recordsUpload(Map<String, String> metadata, Upload upload) {
        return upload != null && upload.sameBytes(metadata.get(SOURCE_ETAG))
                && Objects.equals(upload.sequencer(), metadata.get(SOURCE_SEQUENCER));
    }

    /** How the upload that metadata records stands to another upload of the same video. */
    public enum Order {
        /** This very upload. */
        SAME,
        /** A later upload: S3 gave its event a greater sequencer. */
        NEWER,
        /** An earlier upload, or one that cannot be ordered against the other (see {@link #order}). */
        OLDER
    }

    /**
     * How the upload recorded in {@code metadata} (by {@link #metadataOf}) stands to {@code upload}. S3 orders the
     * uploads of one key by their events' sequencers: hexadecimal strings of varying length, compared after padding
     * the shorter one with zeros on the right. What cannot be ordered counts as OLDER, so that the writer of
     * {@code upload} replaces what is recorded, as it did before uploads were ordered: metadata that records no
     * upload, an upload-less {@code upload}, and an upload without a sequencer on either side (a hand-made event or
     * message, which cannot be told from another upload of the same bytes, nor from a request to run them again).
     */
    public static Order order(Map<String, String> metadata, Upload upload) {
        String recorded = metadata.get(SOURCE_SEQUENCER);
        if (upload == null || metadata.get(SOURCE_ETAG) == null || recorded == null || upload.sequencer() == null) {
            return Order.OLDER;
        }
        if (recordsUpload(metadata, upload)) {
            return Order.SAME;
        }
        return comparable(recorded, upload.sequencer()).compareTo(comparable(upload.sequencer(), recorded)) > 0
                ? Order.NEWER : Order.OLDER;
    }

    /** {@code sequencer} in upper case, padded on the right with zeros to the length of {@code other}. */
    private static String comparable(String sequencer, String other) {
        StringBuilder padded = new StringBuilder(sequencer.toUpperCase(Locale.ROOT));
        while (padded.length() < other.length()) {
            padded.append('0');
        }
        return padded.toString();
    }

    /** The object's user metadata, or empty when the object does not exist. Other failures are thrown. */
    public static Optional<Map<String, String>> metadata(S3Client s3, String bucket, String key) {
        return head(s3, bucket, key).map(HeadObjectResponse::metadata);
    }

    /** The current ETag of an object, or empty when it does not exist. Other failures are thrown. */
    public static Optional<String> currentETag(S3Client s3, String bucket, String key) {
        return head(s3, bucket, key).map(head -> Upload.plain(head.eTag()));
    }

    /** The object's HEAD, or empty when it does not exist. Other failures are thrown. */
    static Optional<HeadObjectResponse> head(S3Client s3, String bucket, String key) {
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
