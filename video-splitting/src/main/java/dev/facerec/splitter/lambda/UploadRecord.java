package dev.facerec.splitter.lambda;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;

/**
 * One record of an S3 event, checked before any work: an upload (bucket, URL-decoded key, the ETag and sequencer S3
 * gave it), or the reason it is skipped. A record that is not an upload or cannot be read is skipped, never thrown:
 * a retry would not mend it, and the records after it must still be handled.
 */
record UploadRecord(String bucket, String key, String eTag, String sequencer) {

    /** Why a record is skipped; {@code malformed} when it is not what S3 sends, rather than another kind of event. */
    static final class Skipped extends Exception {
        private final boolean malformed;

        Skipped(String reason, boolean malformed) {
            super(reason);
            this.malformed = malformed;
        }

        boolean malformed() {
            return malformed;
        }
    }

    static UploadRecord of(S3EventNotificationRecord record) throws Skipped {
        if (record == null) {
            throw new Skipped("the record is null", true);
        }
        String event = record.getEventName();
        if (event != null && !event.startsWith("ObjectCreated:")) {
            // ObjectRemoved, ObjectRestore, lifecycle...: a notification wider than the template's, nothing to split.
            throw new Skipped("a " + event + " event is not an upload", false);
        }
        if (record.getS3() == null) {
            throw new Skipped("the record has no s3 entity", true);
        }
        S3BucketEntity bucket = record.getS3().getBucket();
        if (bucket == null || bucket.getName() == null || bucket.getName().isBlank()) {
            throw new Skipped("the record names no bucket", true);
        }
        S3ObjectEntity object = record.getS3().getObject();
        if (object == null || object.getKey() == null || object.getKey().isEmpty()) {
            throw new Skipped("the record names no object key", true);
        }
        String key;
        try {
            key = object.getUrlDecodedKey();
        } catch (IllegalArgumentException e) {
            throw new Skipped("the key is not URL-encoded as S3 sends it: " + e.getMessage(), true);
        }
        return new UploadRecord(bucket.getName(), key, blankToNull(object.geteTag()),
                blankToNull(object.getSequencer()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
