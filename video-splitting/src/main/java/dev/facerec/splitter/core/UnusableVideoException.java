package dev.facerec.splitter.core;

/** The object cannot give a frame, and retrying will not change that (not a video, truncated, no video stream...). */
public final class UnusableVideoException extends Exception {
    public UnusableVideoException(String reason) {
        super(reason);
    }

    public UnusableVideoException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
