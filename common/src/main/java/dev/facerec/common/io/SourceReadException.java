package dev.facerec.common.io;

import java.io.IOException;

/**
 * Reading a source failed. The {@link Kind} tells a failure worth retrying (a throttled or failing store, a dropped
 * connection) from one that will not change on retry (object missing, access denied), and both from a source that
 * was replaced while being read, which is worth reading again from the start.
 */
public final class SourceReadException extends IOException {
    public enum Kind {
        PERMANENT, TRANSIENT, CHANGED
    }

    private final Kind kind;

    public SourceReadException(String message, Kind kind, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isTransient() {
        return kind == Kind.TRANSIENT;
    }
}
