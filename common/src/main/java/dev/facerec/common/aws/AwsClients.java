package dev.facerec.common.aws;

import java.time.Duration;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the SDK clients; callers build each once per container and keep it (clients are thread-safe). */
public final class AwsClients {
    /**
     * A stalled request is abandoned after this and retried by the SDK, rather than waiting out the HTTP client's
     * 30 s read timeout: one stall would otherwise use up a 30 s function. The largest transfer, a 50 MB frame, takes
     * well under a second inside a region.
     */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private static final ClientOverrideConfiguration TIMEOUTS = ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(ATTEMPT_TIMEOUT).build();

    static {
        // AwsSettings reads the endpoint variables itself, where blank means unset, as the template declares them for
        // sam local (which passes only declared variables). Left to itself the SDK would read them too, and refuse a
        // blank AWS_ENDPOINT_URL_S3 ("The URI scheme of endpointOverride must not be null").
        System.setProperty(SdkSystemSetting.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS.property(), "true");
    }

    private AwsClients() {
    }

    public static S3Client s3(AwsSettings settings) {
        var builder = S3Client.builder()
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(TIMEOUTS);
        // A local S3 (S3Mock, the local stack) serves buckets as paths, not as host names.
        settings.s3Endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    public static LambdaClient lambda(AwsSettings settings) {
        var builder = LambdaClient.builder()
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(TIMEOUTS);
        settings.lambdaEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
