package dev.facerec.common.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Tells failures that a retry may fix from those it will not, by the conditions the SDK's own retries use: 5xx,
 * throttling, clock skew, request timeouts and expired tokens from the service; timeouts and I/O on the client side.
 * Any other client-side failure is the request itself (an ARN where a bucket name goes, an empty key): permanent.
 */
public final class AwsFailures {
    /** Service error codes a retry may fix that are neither 5xx nor throttling nor clock skew. */
    private static final Set<String> RETRYABLE_CODES = Set.of("RequestTimeout", "RequestTimeoutException",
            "PriorRequestNotComplete", "ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired");

    private AwsFailures() {
    }

    public static boolean isTransient(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.statusCode() >= 500 || service.isThrottlingException() || service.isClockSkewException()
                    || code != null && RETRYABLE_CODES.contains(code); // a HEAD's answer has no code
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        return e instanceof SdkClientException && causedByIo(e) || e.retryable();
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A one-line description that never holds request URLs or payloads: the service's error code, or the kind of a
     * client-side failure, with the SDK's own words when the request itself was refused (they name no URL).
     */
    public static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            // A HEAD, or a server that answers without an XML body, leaves no error code: the status still says why.
            return (code == null ? "no error code" : code) + " (HTTP " + service.statusCode() + ")";
        }
        if (e instanceof SdkClientException && !causedByIo(e) && e.getMessage() != null) {
            return e.getClass().getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse("");
        }
        return e.getClass().getSimpleName();
    }
}
