package dev.facerec.common;

/**
 * One upload of a video, as its S3 event tells it: the object's ETag (which bytes) and the event's sequencer (which
 * upload). S3 and async invokes deliver at least once: a redelivered event has the same sequencer, a new upload of
 * the same bytes (a copy onto itself, to run a video again) a new one. The sequencer may be null (a hand-made event);
 * the ETag is null only when the video could not be read.
 */
public record Upload(String eTag, String sequencer) {

    public Upload {
        eTag = plain(eTag);
    }

    /** An ETag as S3 compares it: without the quotes that HTTP puts around it. */
    public static String plain(String eTag) {
        return eTag == null ? null : eTag.replace("\"", "");
    }

    /** Whether {@code other} is the same version of the video: same bytes, whichever upload brought them. */
    public boolean sameBytes(String otherETag) {
        return eTag != null && eTag.equals(plain(otherETag));
    }
}
