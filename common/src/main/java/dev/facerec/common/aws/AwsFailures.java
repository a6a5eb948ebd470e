package dev.facerec.common.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Tells failures that a retry may fix (throttling, 5xx, broken connections) from those it will not. */
public final class AwsFailures {
    private AwsFailures() {
    }

    public static boolean isTransient(SdkException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            return status >= 500 || status == 429 || service.isThrottlingException();
        }
        // Client-side failures are I/O (timeouts, resets) once the request was well formed.
        return e instanceof SdkClientException || e.retryable();
    }

    /** A one-line description that never holds request URLs or payloads. */
    public static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            // A HEAD, or a server that answers without an XML body, leaves no error code: the status still says why.
            return (code == null ? "no error code" : code) + " (HTTP " + service.statusCode() + ")";
        }
        return e.getClass().getSimpleName();
    }
}
