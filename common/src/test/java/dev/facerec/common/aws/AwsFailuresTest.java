package dev.facerec.common.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.facerec.common.Env;
import dev.facerec.common.testing.TestAws;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Which failures are worth a retry: service answers by status and error code as S3 gives them, and client-side
 * failures made by a real SDK client (a refused connection, requests the SDK refuses to send).
 */
class AwsFailuresTest {
    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent().withInitialBuckets("bucket").build();

    @ParameterizedTest(name = "{0} {1}: transient {2}")
    @CsvSource({
        "500, InternalError, true",
        "503, SlowDown, true",
        "429, TooManyRequests, true",
        "400, RequestTimeout, true",
        "400, ThrottlingException, true",
        "403, RequestTimeTooSkewed, true",
        "400, ExpiredToken, true",
        "403, AccessDenied, false",
        "404, NoSuchKey, false",
        "404, NoSuchBucket, false",
        "400, InvalidBucketName, false",
        "412, PreconditionFailed, false"})
    void aServiceAnswerIsTransientByItsStatusAndCode(int status, String code, boolean transientFailure) {
        S3Exception answer = (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();

        assertThat(AwsFailures.isTransient(answer)).isEqualTo(transientFailure);
        assertThat(AwsFailures.describe(answer)).isEqualTo(code + " (HTTP " + status + ")");
    }

    @ParameterizedTest(name = "{0} without an error code: transient {1}")
    @CsvSource({"503, true", "400, false", "403, false"})
    void anAnswerWithoutAnErrorCodeIsTransientByItsStatusAlone(int status, boolean transientFailure) {
        // What a HEAD, or a server answering without an XML body, gives.
        S3Exception answer = (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().build()).build();

        assertThat(AwsFailures.isTransient(answer)).isEqualTo(transientFailure);
        assertThat(AwsFailures.describe(answer)).isEqualTo("no error code (HTTP " + status + ")");
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (S3Client s3 = AwsClients.s3(AwsSettings.from(new Env(TestAws.environment(closedPort, null))))) {
            SdkException failure = catchThrowableOfType(SdkClientException.class,
                    () -> s3.headObject(b -> b.bucket("bucket").key("video.mp4")));

            assertThat(AwsFailures.isTransient(failure)).isTrue();
            assertThat(AwsFailures.describe(failure)).isEqualTo("SdkClientException");
        }
    }

    @Test
    void aRequestTheSdkRefusesToSendIsPermanentAndSaysWhy() {
        try (S3Client s3 = AwsClients.s3(AwsSettings.from(new Env(TestAws.environment(S3_MOCK.getHttpPort(),
                null))))) {
            SdkException arn = catchThrowableOfType(SdkClientException.class, () -> s3.getObject(b -> b
                    .bucket("arn:aws:s3:us-east-1:123456789012:accesspoint/frames").key("frame.jpg")));
            SdkException emptyKey = catchThrowableOfType(SdkClientException.class,
                    () -> s3.headObject(b -> b.bucket("bucket").key("")));

            assertThat(AwsFailures.isTransient(arn)).isFalse();
            assertThat(AwsFailures.describe(arn)).startsWith("SdkClientException: ").doesNotContain("http");
            assertThat(AwsFailures.isTransient(emptyKey)).isFalse();
        }
    }
}
