package dev.facerec.common.aws;

import dev.facerec.common.ConfigException;
import dev.facerec.common.Env;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where the AWS clients point and who they are, from the SDK's standard variables: {@code AWS_REGION},
 * {@code AWS_ENDPOINT_URL} / {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL_LAMBDA} (a local S3 or Lambda
 * endpoint), and the {@code AWS_ACCESS_KEY_ID} family that Lambda sets for the function's role.
 */
public record AwsSettings(Region region, Optional<URI> s3Endpoint, Optional<URI> lambdaEndpoint,
                          AwsCredentialsProvider credentials) {

    public static AwsSettings from(Env env) {
        String regionName = env.optional("AWS_REGION").or(() -> env.optional("AWS_DEFAULT_REGION"))
                .orElseThrow(() -> new ConfigException("AWS_REGION", "is not set"));
        Optional<URI> anyEndpoint = env.optionalHttpUrl("AWS_ENDPOINT_URL");
        Optional<URI> s3 = env.optionalHttpUrl("AWS_ENDPOINT_URL_S3").or(() -> anyEndpoint);
        Optional<URI> lambda = env.optionalHttpUrl("AWS_ENDPOINT_URL_LAMBDA").or(() -> anyEndpoint);
        return new AwsSettings(Region.of(regionName), s3, lambda, credentials(env));
    }

    // Credentials from the environment directly when present (what Lambda provides): skips the default chain's probing.
    private static AwsCredentialsProvider credentials(Env env) {
        Optional<String> keyId = env.optional("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.optional("AWS_SECRET_ACCESS_KEY");
        if (keyId.isEmpty() || secret.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(env.optional("AWS_SESSION_TOKEN")
                .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(
                        token -> AwsSessionCredentials.create(keyId.get(), secret.get(), token))
                .orElseGet(() -> AwsBasicCredentials.create(keyId.get(), secret.get())));
    }
}
