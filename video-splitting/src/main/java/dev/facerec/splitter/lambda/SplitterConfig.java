package dev.facerec.splitter.lambda;

import dev.facerec.common.ConfigException;
import dev.facerec.common.Env;
import dev.facerec.splitter.core.FrameSampling;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The splitter's settings, read and checked once per container. {@code FACE_RECOGNITION_FUNCTION} is a function name,
 * name with alias, or ARN, as Lambda's Invoke accepts. {@code INPUT_BUCKET}, when set, is the only bucket whose events
 * are handled: an event from another bucket (a misconfigured trigger) is logged and ignored.
 */
public record SplitterConfig(String stageBucket, String outputBucket, String faceRecognitionFunction,
                             Optional<String> inputBucket, FrameSampling sampling) {
    private static final Pattern FUNCTION = Pattern.compile(
            "(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:)?[a-zA-Z0-9-_]{1,64}(:[a-zA-Z0-9-_$]+)?");

    public static SplitterConfig from(Env env) {
        String function = env.required("FACE_RECOGNITION_FUNCTION");
        if (!FUNCTION.matcher(function).matches()) {
            throw new ConfigException("FACE_RECOGNITION_FUNCTION", "is not a Lambda function name or ARN: '"
                    + function + "'");
        }
        SplitterConfig config = new SplitterConfig(env.bucket("STAGE_BUCKET"), env.bucket("OUTPUT_BUCKET"),
                function, env.optionalBucket("INPUT_BUCKET"), sampling(env));
        // Writing where the trigger listens would feed the function its own output, without end.
        for (String written : new String[] {config.stageBucket(), config.outputBucket()}) {
            if (config.inputBucket().filter(written::equals).isPresent()) {
                throw new ConfigException("INPUT_BUCKET", "must differ from STAGE_BUCKET and OUTPUT_BUCKET, got '"
                        + written + "' for both");
            }
        }
        return config;
    }

    /**
     * {@code FRAMES} ({@code first}, the default, or {@code keyframes}), with {@code FRAME_INTERVAL_SECONDS}
     * (default 1) and {@code MAX_FRAMES} (default 120, at most {@value FrameSampling#MAX_MAX_FRAMES}) for keyframes.
     */
    static FrameSampling sampling(Env env) {
        FrameSampling.Mode mode;
        try {
            mode = env.optional("FRAMES").map(FrameSampling.Mode::parse).orElse(FrameSampling.Mode.FIRST);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("FRAMES", e.getMessage());
        }
        double interval = env.positiveDouble("FRAME_INTERVAL_SECONDS", FrameSampling.DEFAULT_INTERVAL_SECONDS);
        int maxFrames = env.positiveInt("MAX_FRAMES", FrameSampling.DEFAULT_MAX_FRAMES);
        if (maxFrames > FrameSampling.MAX_MAX_FRAMES) {
            throw new ConfigException("MAX_FRAMES", "must be at most " + FrameSampling.MAX_MAX_FRAMES + ", got '"
                    + maxFrames + "'");
        }
        return mode == FrameSampling.Mode.FIRST ? FrameSampling.FIRST : FrameSampling.keyframes(interval, maxFrames);
    }

    /** Whether events from {@code bucket} are this function's to handle. */
    public boolean handles(String bucket) {
        return inputBucket.map(bucket::equals).orElse(true);
    }
}
