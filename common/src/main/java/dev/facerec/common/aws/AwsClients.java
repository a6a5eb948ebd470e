package dev.facerec.common.aws;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the SDK clients; callers build each once per container and keep it (clients are thread-safe). */
public final class AwsClients {
    private AwsClients() {
    }

    public static S3Client s3(AwsSettings settings) {
        var builder = S3Client.builder()
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .httpClient(UrlConnectionHttpClient.create());
        // A local S3 (S3Mock, the local stack) serves buckets as paths, not as host names.
        settings.s3Endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    public static LambdaClient lambda(AwsSettings settings) {
        var builder = LambdaClient.builder()
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .httpClient(UrlConnectionHttpClient.create());
        settings.lambdaEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
