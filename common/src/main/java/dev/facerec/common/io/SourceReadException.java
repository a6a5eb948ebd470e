package dev.facerec.common.io;

import java.io.IOException;

/**
 * Reading a source failed. {@link #isTransient()} tells a failure worth retrying (a throttled or failing store, a
 * dropped connection) from one that will not change on retry (object missing, access denied).
 */
public final class SourceReadException extends IOException {
    private final boolean transientFailure;

    public SourceReadException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
