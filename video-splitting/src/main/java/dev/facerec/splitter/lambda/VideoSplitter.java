package dev.facerec.splitter.lambda;

import dev.facerec.common.Env;
import dev.facerec.common.ErrorRecord;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.StageMessage;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsFailures;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.common.aws.OutcomeWriter;
import dev.facerec.common.aws.S3ObjectSource;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.splitter.core.ExtractedFrame;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.UnusableVideoException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * One uploaded video to one frame in the stage-1 bucket and one async invoke of face-recognition, or to one
 * {@code Error} outcome in the output bucket. Failures that a retry may fix are thrown for Lambda to retry.
 */
public final class VideoSplitter {
    static final String STAGE = "video-splitting";
    private static final Logger LOG = LoggerFactory.getLogger(VideoSplitter.class);

    private final SplitterConfig config;
    private final S3Client s3;
    private final LambdaClient lambda;
    private final FrameExtractor extractor;
    private final OutcomeWriter outcomes;
    private final AtomicBoolean cold = new AtomicBoolean(true);

    public VideoSplitter(SplitterConfig config, S3Client s3, LambdaClient lambda, FrameExtractor extractor) {
        this.config = config;
        this.s3 = s3;
        this.lambda = lambda;
        this.extractor = extractor;
        this.outcomes = new OutcomeWriter(s3, config.outputBucket());
    }

    /** Everything built once: configuration checked, clients created, FFmpeg loaded. */
    public static VideoSplitter fromEnvironment(Env env) {
        SplitterConfig config = SplitterConfig.from(env);
        AwsSettings aws = AwsSettings.from(env);
        FrameExtractor.loadNatives();
        return new VideoSplitter(config, AwsClients.s3(aws), AwsClients.lambda(aws), new FrameExtractor());
    }

    public void process(String bucket, String key) {
        if (!config.handles(bucket)) {
            LOG.atWarn().addKeyValue("video", key).addKeyValue("stage", STAGE).addKeyValue("bucket", bucket)
                    .log("event for a bucket other than INPUT_BUCKET ignored");
            return;
        }
        long started = System.nanoTime();
        boolean coldStart = cold.getAndSet(false);
        S3ObjectSource source = new S3ObjectSource(s3, bucket, key);
        ExtractedFrame frame;
        try {
            frame = extractor.extract(source);
        } catch (UnusableVideoException e) {
            fail(bucket, key, e.getMessage());
            return;
        } catch (SourceReadException e) {
            if (e.isTransient()) {
                throw new TransientFailureException(e.getMessage(), e);
            }
            fail(bucket, key, e.getMessage());
            return;
        }
        String frameKey = ObjectKeys.frameKey(key);
        try {
            putFrame(frameKey, frame, bucket, key, source.eTag());
            invokeRecognition(new StageMessage(config.stageBucket(), frameKey, bucket, key, source.eTag(),
                    frame.timeSeconds()));
        } catch (SdkException e) {
            if (AwsFailures.isTransient(e)) {
                throw new TransientFailureException("video-splitting could not hand over " + key + ": "
                        + AwsFailures.describe(e), e);
            }
            // Misconfiguration (access denied, no such bucket or function): say so in the outcome, do not retry.
            fail(bucket, key, "cannot hand the frame over: " + AwsFailures.describe(e));
            return;
        }
        LOG.atInfo().addKeyValue("video", key).addKeyValue("stage", STAGE).addKeyValue("outcome", "frame")
                .addKeyValue("coldStart", coldStart)
                .addKeyValue("frameTimeSeconds", String.format(Locale.ROOT, "%.3f", frame.timeSeconds()))
                .addKeyValue("frameSize", frame.width() + "x" + frame.height())
                .addKeyValue("bytesRead", source.bytesFetched()).addKeyValue("objectSize", sizeOrUnknown(source))
                .addKeyValue("openDecodeMs", Math.round(frame.timings().openDecodeMs()))
                .addKeyValue("jpegMs", Math.round(frame.timings().jpegMs()))
                .addKeyValue("totalMs", (System.nanoTime() - started) / 1_000_000)
                .log("frame handed to face-recognition");
    }

    private void putFrame(String frameKey, ExtractedFrame frame, String bucket, String key, String eTag) {
        Map<String, String> metadata = new java.util.HashMap<>();
        metadata.put("source-bucket", bucket);
        // User metadata travels as HTTP headers: ASCII only, so the key is URL-encoded.
        metadata.put("source-key", URLEncoder.encode(key, StandardCharsets.UTF_8));
        if (eTag != null) {
            metadata.put("source-etag", eTag.replace("\"", ""));
        }
        metadata.put("frame-time", String.format(Locale.ROOT, "%.3f", frame.timeSeconds()));
        metadata.put("frame-size", frame.width() + "x" + frame.height());
        s3.putObject(PutObjectRequest.builder().bucket(config.stageBucket()).key(frameKey)
                .contentType("image/jpeg").metadata(metadata).build(), RequestBody.fromBytes(frame.jpeg()));
    }

    private void invokeRecognition(StageMessage message) {
        lambda.invoke(InvokeRequest.builder()
                .functionName(config.faceRecognitionFunction())
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(message.toJson()))
                .build());
    }

    private void fail(String bucket, String key, String reason) {
        LOG.atWarn().addKeyValue("video", key).addKeyValue("stage", STAGE).addKeyValue("outcome", "Error")
                .addKeyValue("reason", reason).log("video refused");
        outcomes.writeError(key, ErrorRecord.of(STAGE, reason, bucket, key));
    }

    private static String sizeOrUnknown(S3ObjectSource source) {
        try {
            return Long.toString(source.size());
        } catch (SourceReadException e) {
            return "unknown";
        }
    }
}
