package dev.facerec.splitter.lambda;

import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import dev.facerec.common.ErrorRecord;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Outcome;
import dev.facerec.common.StageMessage;
import dev.facerec.common.StageMessage.FrameRef;
import dev.facerec.common.Upload;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsFailures;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.common.aws.OutcomeWriter;
import dev.facerec.common.aws.Provenance;
import dev.facerec.common.aws.S3ObjectSource;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.common.io.TimeLimitedSource;
import dev.facerec.common.metrics.EmfMetrics;
import dev.facerec.splitter.core.ExtractedFrame;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.FrameSampling;
import dev.facerec.splitter.core.UnusableVideoException;
import dev.facerec.splitter.core.VideoSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * One uploaded video to its frames in the stage-1 bucket (one, or with {@code FRAMES=keyframes} several) and one
 * async invoke of face-recognition that lists them, or to one {@code Error} outcome in the output bucket. Failures
 * that a retry may fix are thrown for Lambda to retry.
 */
public final class VideoSplitter {
    static final String STAGE = "video-splitting";
    /** Kept back from the deadline when sampling: to store the frame in hand and invoke face-recognition. */
    private static final Duration HAND_OVER_TIME = Duration.ofSeconds(2);
    /** Readings of one event when the video is replaced while being read, before Lambda is left to retry. */
    private static final int MAX_READINGS = 3;
    /** The frame's user metadata holding its time in the video, in seconds. */
    public static final String FRAME_TIME = "frame-time";
    private static final Logger LOG = LoggerFactory.getLogger(VideoSplitter.class);

    private final SplitterConfig config;
    private final S3Client s3;
    private final LambdaClient lambda;
    private final FrameExtractor extractor;
    private final OutcomeWriter outcomes;
    private final EmfMetrics metrics;
    private final AtomicBoolean cold = new AtomicBoolean(true);

    public VideoSplitter(SplitterConfig config, S3Client s3, LambdaClient lambda, FrameExtractor extractor) {
        this(config, s3, lambda, extractor, EmfMetrics.off());
    }

    public VideoSplitter(SplitterConfig config, S3Client s3, LambdaClient lambda, FrameExtractor extractor,
                         EmfMetrics metrics) {
        this.config = config;
        this.s3 = s3;
        this.lambda = lambda;
        this.extractor = extractor;
        this.outcomes = new OutcomeWriter(s3, config.outputBucket());
        this.metrics = metrics;
    }

    /** Everything built once: configuration checked, clients created, FFmpeg loaded. */
    public static VideoSplitter fromEnvironment(Env env) {
        SplitterConfig config = SplitterConfig.from(env);
        AwsSettings aws = AwsSettings.from(env);
        EmfMetrics metrics = EmfMetrics.fromEnvironment(env, STAGE);
        FrameExtractor.loadNatives();
        return new VideoSplitter(config, AwsClients.s3(aws), AwsClients.lambda(aws), new FrameExtractor(), metrics);
    }

    /**
     * Handles one uploaded video, within {@code deadline}. S3 events come at least once: a redelivered event (same
     * {@code sequencer}, same bytes) finds its outcome written and does nothing; a frame that these bytes already
     * gave is handed over again rather than extracted again, so a frame whose invoke failed is never left behind, and
     * a video copied onto itself to run it again is recognised again without being decoded again.
     *
     * <p>The outcome is checked against the event's own ETag before the video is read, so that an event delivered
     * again after the video was deleted leaves the outcome of that upload as it is.
     *
     * @param eventETag the ETag the S3 event gives the object; null for an event without one
     * @param sequencer the S3 event's {@code sequencer}; null for an event without one
     */
    public void process(String bucket, String key, String eventETag, String sequencer, Deadline deadline) {
        if (!config.handles(bucket)) {
            LOG.atWarn().addKeyValue("video", key).addKeyValue("stage", STAGE).addKeyValue("bucket", bucket)
                    .log("event for a bucket other than INPUT_BUCKET ignored");
            return;
        }
        if (ObjectKeys.hasOutcomeSuffix(key)) {
            // An outcome copied into the input bucket, or an output bucket wired as an input: never a video, and
            // treating it as one could start a loop.
            fail(bucket, key, null, "the key ends like the pipeline's outcomes (.txt, .json) and is not taken as a "
                    + "video");
            return;
        }
        long started = System.nanoTime();
        boolean coldStart = cold.getAndSet(false);
        if (coldStart) {
            metrics.coldStart();
        }
        if (eventETag != null && isDone(key, new Upload(eventETag, sequencer))) {
            return;
        }
        for (int reading = 1; ; reading++) {
            try {
                processVersion(bucket, key, sequencer, deadline, started, coldStart);
                return;
            } catch (VersionReplaced e) {
                // Uploaded again while being read: this event now stands for the newest version (whose own event
                // will find its frame taken and hand it over again).
                if (reading == MAX_READINGS) {
                    throw new TransientFailureException(key + " kept being replaced while read", e.getCause());
                }
                LOG.atInfo().addKeyValue("video", key).addKeyValue("stage", STAGE)
                        .log("video replaced while being read; reading the new version");
            } catch (SdkException e) {
                if (AwsFailures.isTransient(e)) {
                    throw new TransientFailureException("video-splitting could not complete " + key + ": "
                            + AwsFailures.describe(e), e);
                }
                // Misconfiguration (access denied, no such bucket or function): say so in the outcome, do not retry.
                fail(bucket, key, null, "video-splitting cannot complete: " + AwsFailures.describe(e));
                return;
            }
        }
    }

    private void processVersion(String bucket, String key, String sequencer, Deadline deadline, long started,
                                boolean coldStart) throws VersionReplaced {
        S3ObjectSource source = new S3ObjectSource(s3, bucket, key);
        Upload upload;
        try {
            source.size(); // the first block: tells which version this is, or that the object is gone
            upload = new Upload(source.eTag(), sequencer);
        } catch (SourceReadException e) {
            refuseOrThrow(bucket, key, null, e);
            return;
        }
        if (isDone(key, upload)) {
            return;
        }
        String frameKey = ObjectKeys.frameKey(key);
        boolean oneFrame = config.sampling().mode() == FrameSampling.Mode.FIRST;
        // With one frame, a frame these bytes already gave is handed over again; several are sampled again.
        Optional<Map<String, String>> staged = !oneFrame ? Optional.empty()
                : Provenance.metadata(s3, config.stageBucket(), frameKey)
                        .filter(metadata -> upload.sameBytes(metadata.get(Provenance.SOURCE_ETAG)));
        if (staged.isPresent()) {
            invokeRecognition(new StageMessage(config.stageBucket(), frameKey, bucket, key, upload.eTag(),
                    sequencer, frameTime(staged.get())));
            LOG.atInfo().addKeyValue("video", key).addKeyValue("stage", STAGE).addKeyValue("outcome", "frame")
                    .log("frame already written for these bytes (event delivered again, or the video copied onto "
                            + "itself): handed over again");
            return;
        }
        List<FrameRef> frames = new ArrayList<>();
        List<ExtractedFrame.Timings> timings = new ArrayList<>();
        VideoSample sample;
        try {
            // Each frame is stored as soon as it is encoded; new ones stop in time to hand them over.
            sample = extractor.sample(new TimeLimitedSource(source, deadline), config.sampling(),
                    deadline.sooner(HAND_OVER_TIME), frame -> {
                        String stageKey = frames.isEmpty() ? frameKey
                                : ObjectKeys.sampledFrameKey(key, frame.timeSeconds());
                        putFrame(stageKey, frame, bucket, key, upload);
                        frames.add(new FrameRef(stageKey, round(frame.timeSeconds())));
                        timings.add(frame.timings());
                    });
        } catch (UnusableVideoException e) {
            fail(bucket, key, upload, e.getMessage());
            return;
        } catch (SourceReadException e) {
            refuseOrThrow(bucket, key, upload, e);
            return;
        } catch (SdkException e) {
            throw e; // storing a frame failed: the caller tells a retry from a misconfiguration
        } catch (RuntimeException e) {
            // A fault of the extractor on these bytes (the store's faults come as SourceReadException): a retry
            // would fail the same way, so the video gets its outcome now. An Error (out of memory) is left to the
            // runtime, which reports the invocation failed, for Lambda to retry.
            String reason = STAGE + " failed while extracting the frame: " + e;
            LOG.atError().setCause(e).addKeyValue("video", key).addKeyValue("stage", STAGE)
                    .addKeyValue("outcome", "Error").addKeyValue("reason", reason).log("frame extraction failed");
            writeError(bucket, key, upload, reason);
            return;
        }
        Double firstTime = frames.get(0).seconds();
        invokeRecognition(oneFrame
                ? new StageMessage(config.stageBucket(), frameKey, bucket, key, upload.eTag(), sequencer, firstTime)
                : new StageMessage(config.stageBucket(), frameKey, bucket, key, upload.eTag(), sequencer, firstTime,
                        frames, sample.complete(), sample.incompleteReason()).fittedToAsyncPayload());
        ExtractedFrame.Timings first = timings.get(0);
        var line = LOG.atInfo().addKeyValue("video", key).addKeyValue("stage", STAGE).addKeyValue("outcome", "frame")
                .addKeyValue("coldStart", coldStart)
                .addKeyValue("frameTimeSeconds", String.format(Locale.ROOT, "%.3f", firstTime))
                .addKeyValue("frameSize", sample.video().displayWidth() + "x" + sample.video().displayHeight())
                .addKeyValue("frames", frames.size()).addKeyValue("keyframesDecoded", sample.keyframesDecoded())
                .addKeyValue("bytesRead", source.bytesFetched()).addKeyValue("objectSize", sizeOrUnknown(source))
                .addKeyValue("openDecodeMs", Math.round(first.openDecodeMs()))
                .addKeyValue("jpegMs", Math.round(timings.stream().mapToDouble(ExtractedFrame.Timings::jpegMs).sum()))
                .addKeyValue("totalMs", (System.nanoTime() - started) / 1_000_000);
        if (!sample.complete()) {
            line = line.addKeyValue("incompleteReason", sample.incompleteReason());
        }
        line.log(frames.size() == 1 ? "frame handed to face-recognition" : "frames handed to face-recognition");
        metrics.document().count("FramesPerVideo", frames.size())
                .milliseconds("OpenDecodeTime", first.openDecodeMs())
                .milliseconds("JpegTime", timings.stream().mapToDouble(ExtractedFrame.Timings::jpegMs).sum())
                .milliseconds("TotalTime", (System.nanoTime() - started) / 1e6).emit();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /** Whether the outcome is already written for this very upload (the event delivered again). */
    private boolean isDone(String key, Upload upload) {
        if (!outcomes.isWritten(key, upload)) {
            return false;
        }
        LOG.atInfo().addKeyValue("video", key).addKeyValue("stage", STAGE).addKeyValue("etag", upload.eTag())
                .log("outcome already written for this upload (event delivered again): nothing to do");
        return true;
    }

    /** The object changed between two reads of one extraction. */
    private static final class VersionReplaced extends Exception {
        VersionReplaced(SourceReadException cause) {
            super(cause);
        }
    }

    /** A read that failed: read again (replaced), retried by Lambda (transient), or an Error outcome. */
    private void refuseOrThrow(String bucket, String key, Upload upload, SourceReadException e)
            throws VersionReplaced {
        switch (e.kind()) {
            case CHANGED -> throw new VersionReplaced(e);
            case TRANSIENT -> throw new TransientFailureException(e.getMessage(), e);
            default -> fail(bucket, key, upload, e.getMessage());
        }
    }

    private static Double frameTime(Map<String, String> metadata) {
        try {
            return Double.valueOf(metadata.get(FRAME_TIME));
        } catch (NumberFormatException | NullPointerException e) {
            return null; // informative only: the recogniser does not need it
        }
    }

    private void putFrame(String stageKey, ExtractedFrame frame, String bucket, String key, Upload upload) {
        Map<String, String> metadata = Provenance.frameMetadataOf(new Provenance.Origin(bucket, key, upload));
        metadata.put(FRAME_TIME, String.format(Locale.ROOT, "%.3f", frame.timeSeconds()));
        metadata.put("frame-size", frame.width() + "x" + frame.height());
        s3.putObject(PutObjectRequest.builder().bucket(config.stageBucket()).key(stageKey)
                .contentType("image/jpeg").metadata(metadata).build(), RequestBody.fromBytes(frame.jpeg()));
    }

    private void invokeRecognition(StageMessage message) {
        lambda.invoke(InvokeRequest.builder()
                .functionName(config.faceRecognitionFunction())
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(message.toJson()))
                .build());
    }

    private void fail(String bucket, String key, Upload upload, String reason) {
        LOG.atWarn().addKeyValue("video", key).addKeyValue("stage", STAGE).addKeyValue("outcome", "Error")
                .addKeyValue("reason", reason).log("video refused");
        writeError(bucket, key, upload, reason);
    }

    /** The video's Error outcome, counted once written (not when another delivery or a newer upload came first). */
    private void writeError(String bucket, String key, Upload upload, String reason) {
        if (outcomes.writeError(key, upload, ErrorRecord.of(STAGE, reason, bucket, key))
                == OutcomeWriter.Result.WRITTEN) {
            metrics.outcome(Outcome.ERROR);
        }
    }

    private static String sizeOrUnknown(S3ObjectSource source) {
        try {
            return Long.toString(source.size());
        } catch (SourceReadException e) {
            return "unknown";
        }
    }
}
