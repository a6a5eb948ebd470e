package dev.facerec.common.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.facerec.common.Env;
import dev.facerec.common.testing.TestAws;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The endpoint variables are read once, by {@link AwsSettings}, where blank means unset: the template declares them
 * blank. The SDK's own reading of the same settings (here through its system properties, which it reads before the
 * environment) must neither break a client nor send it elsewhere.
 */
class AwsClientsTest {
    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent().withInitialBuckets("bucket").build();

    @AfterEach
    void clearSdkSettings() {
        System.clearProperty("aws.endpointUrlS3");
        System.clearProperty("aws.endpointUrlLambda");
        System.clearProperty("aws.endpointUrl");
    }

    @Test
    void blankEndpointSettingsLeaveTheClientsOnAws() {
        System.setProperty("aws.endpointUrlS3", "");
        System.setProperty("aws.endpointUrlLambda", "");
        Map<String, String> env = new HashMap<>(TestAws.environment(S3_MOCK.getHttpPort(), null));
        env.put("AWS_ENDPOINT_URL_S3", "");
        env.put("AWS_ENDPOINT_URL_LAMBDA", " ");
        AwsSettings settings = AwsSettings.from(new Env(env));

        try (S3Client s3 = AwsClients.s3(settings); LambdaClient lambda = AwsClients.lambda(settings)) {
            assertThat(s3.serviceClientConfiguration().endpointOverride()).isEmpty();
            assertThat(lambda.serviceClientConfiguration().endpointOverride()).isEmpty();
        }
    }

    @Test
    void theEndpointInTheSettingsIsTheOneUsed() {
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:9"); // the discard port: nothing answers there
        Env env = new Env(TestAws.environment(S3_MOCK.getHttpPort(), null));

        try (S3Client s3 = AwsClients.s3(AwsSettings.from(env))) {
            s3.putObject(b -> b.bucket("bucket").key("k"), RequestBody.fromString("v"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("bucket").key("k")).asUtf8String()).isEqualTo("v");
        }
    }
}
