package dev.facerec.splitter.lambda;

import dev.facerec.common.ConfigException;
import dev.facerec.common.Env;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The splitter's settings, read and checked once per container. {@code FACE_RECOGNITION_FUNCTION} is a function name,
 * name with alias, or ARN, as Lambda's Invoke accepts. {@code INPUT_BUCKET}, when set, is the only bucket whose events
 * are handled: an event from another bucket (a misconfigured trigger) is logged and ignored.
 */
public record SplitterConfig(String stageBucket, String outputBucket, String faceRecognitionFunction,
                             Optional<String> inputBucket) {
    private static final Pattern FUNCTION = Pattern.compile(
            "(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:)?[a-zA-Z0-9-_]{1,64}(:[a-zA-Z0-9-_$]+)?");

    public static SplitterConfig from(Env env) {
        String function = env.required("FACE_RECOGNITION_FUNCTION");
        if (!FUNCTION.matcher(function).matches()) {
            throw new ConfigException("FACE_RECOGNITION_FUNCTION", "is not a Lambda function name or ARN: '"
                    + function + "'");
        }
        SplitterConfig config = new SplitterConfig(env.bucket("STAGE_BUCKET"), env.bucket("OUTPUT_BUCKET"),
                function, env.optionalBucket("INPUT_BUCKET"));
        // Writing where the trigger listens would feed the function its own output, without end.
        for (String written : new String[] {config.stageBucket(), config.outputBucket()}) {
            if (config.inputBucket().filter(written::equals).isPresent()) {
                throw new ConfigException("INPUT_BUCKET", "must differ from STAGE_BUCKET and OUTPUT_BUCKET, got '"
                        + written + "' for both");
            }
        }
        return config;
    }

    /** Whether events from {@code bucket} are this function's to handle. */
    public boolean handles(String bucket) {
        return inputBucket.map(bucket::equals).orElse(true);
    }
}
