package dev.facerec.splitter.lambda;

/** A failure a retry may fix (throttling, 5xx, a dropped connection): thrown so that Lambda retries the event. */
public final class TransientFailureException extends RuntimeException {
    public TransientFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
