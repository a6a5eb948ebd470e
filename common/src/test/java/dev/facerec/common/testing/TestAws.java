package dev.facerec.common.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The environment a function sees, pointed at S3Mock and a loopback Lambda endpoint. */
public final class TestAws {
    private TestAws() {
    }

    public static Map<String, String> environment(int s3Port, URI lambdaEndpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test-access-key");
        env.put("AWS_SECRET_ACCESS_KEY", "test-secret-key");
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3Port);
        if (lambdaEndpoint != null) {
            env.put("AWS_ENDPOINT_URL_LAMBDA", lambdaEndpoint.toString());
        }
        return env;
    }
}
