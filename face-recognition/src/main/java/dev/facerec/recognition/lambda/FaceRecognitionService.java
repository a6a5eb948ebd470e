package dev.facerec.recognition.lambda;

import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import dev.facerec.common.ErrorRecord;
import dev.facerec.common.Outcome;
import dev.facerec.common.StageMessage;
import dev.facerec.common.Upload;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsFailures;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.common.aws.OutcomeWriter;
import dev.facerec.common.aws.Provenance;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.ImageProbe;
import dev.facerec.recognition.Recognizer;
import dev.facerec.recognition.Recognizer.Recognition;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryException;
import dev.facerec.recognition.gallery.Matcher;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One frame in the stage-1 bucket to one outcome in the output bucket: the name of the largest face, {@code Unknown},
 * {@code NoFace}, or {@code Error} with the reason. Failures a retry may fix are thrown for Lambda to retry.
 */
public final class FaceRecognitionService {
    static final String STAGE = "face-recognition";
    static final long MAX_FRAME_BYTES = ImageProbe.MAX_BYTES;
    private static final Logger LOG = LoggerFactory.getLogger(FaceRecognitionService.class);

    private final RecognitionConfig config;
    private final S3Client s3;
    private final Recognizer recognizer;
    private final GalleryCache gallery;
    private final OutcomeWriter outcomes;
    private final AtomicBoolean cold = new AtomicBoolean(true);

    public FaceRecognitionService(RecognitionConfig config, S3Client s3, Recognizer recognizer, GalleryCache gallery) {
        this.config = config;
        this.s3 = s3;
        this.recognizer = recognizer;
        this.gallery = gallery;
        this.outcomes = new OutcomeWriter(s3, config.outputBucket());
    }

    /** Everything built once: configuration checked, clients created, engine and weights loaded, gallery read. */
    public static FaceRecognitionService fromEnvironment(Env env) {
        RecognitionConfig config = RecognitionConfig.from(env);
        S3Client s3 = AwsClients.s3(AwsSettings.from(env));
        GalleryCache gallery = new GalleryCache(config.gallery(), s3,
                Duration.ofSeconds(config.galleryRefreshSeconds()), Clock.systemUTC());
        try {
            gallery.current(); // load now, so that a bad gallery shows in the init log
        } catch (GalleryException e) {
            LOG.error("gallery unusable at init; recognitions will end as Error until it is fixed: {}",
                    e.getMessage());
        } catch (SdkException e) {
            // A failing init would be retried by Lambda too, but cost a whole cold start each time: the first
            // invocation tries again, and throws for Lambda to retry the event if S3 still fails.
            LOG.warn("gallery not loaded at init, S3 failed ({}); the first invocation tries again",
                    AwsFailures.describe(e));
        }
        return new FaceRecognitionService(config, s3, new Recognizer(FaceAnalyzer.create(config.detector())), gallery);
    }

    /**
     * Recognises the frame of one message, within {@code deadline}. Async invokes come at least once and a video can
     * be replaced while its frame is in flight: a message whose outcome is already written (same upload) does
     * nothing, and one whose video has since changed writes nothing.
     */
    public void process(StageMessage message, Deadline deadline) {
        long start = System.nanoTime();
        boolean coldStart = cold.getAndSet(false);
        String outcomeKey = message.sourceKey() != null ? message.sourceKey() : message.imageFileName();
        if (outcomes.isWritten(outcomeKey, message.upload())) {
            LOG.atInfo().addKeyValue("video", outcomeKey).addKeyValue("stage", STAGE)
                    .log("outcome already written for this version (message delivered again): nothing to do");
            return;
        }
        byte[] frame;
        try {
            frame = fetch(message);
        } catch (FrameRejected e) {
            fail(message, outcomeKey, e.getMessage());
            return;
        }
        long fetchedAt = System.nanoTime();
        Matcher matcher;
        try {
            matcher = new Matcher(gallery.current(), config.matchThreshold());
        } catch (GalleryException e) {
            fail(message, outcomeKey, e.getMessage());
            return;
        }
        if (deadline.hasPassed()) {
            fail(message, outcomeKey, deadline.explanation());
            return;
        }
        Recognition recognition;
        try {
            ImageProbe.check(frame);
            recognition = recognizer.recognize(frame, matcher);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            fail(message, outcomeKey, "the frame is not a usable image: " + e.getMessage());
            return;
        }
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("fetch", ms(fetchedAt - start));
        timings.put("decode", round(recognition.timings().decodeMs()));
        timings.put("detect", round(recognition.timings().detectMs()));
        timings.put("landmarks", round(recognition.timings().landmarksMs()));
        timings.put("descriptor", round(recognition.timings().descriptorMs()));
        timings.put("match", round(recognition.timings().matchMs()));
        timings.put("total_before_write", ms(System.nanoTime() - start));
        if (isSuperseded(message, outcomeKey)) {
            return;
        }
        outcomes.write(outcomeKey, message.upload(), recognition.outcome(), new RecognitionRecord(
                recognition.outcome(), message.bucketName(), message.imageFileName(), message.sourceBucket(),
                message.sourceKey(), Gallery.MODEL, config.matchThreshold(), RecognitionRecord.faces(recognition),
                coldStart, timings));
        var line = LOG.atInfo().addKeyValue("video", outcomeKey).addKeyValue("stage", STAGE)
                .addKeyValue("outcome", recognition.outcome()).addKeyValue("faces", recognition.faces().size())
                .addKeyValue("coldStart", coldStart);
        timings.forEach((stage, ms) -> line.addKeyValue(stage + "Ms", ms));
        line.addKeyValue("totalMs", round(ms(System.nanoTime() - start))).log("frame recognised");
    }

    /**
     * Whether the video this frame came from has been replaced since (its ETag is no longer the message's): the
     * newer version has its own event, and this outcome must not overwrite its outcome. A deleted video still gets
     * its outcome: it was uploaded, and nothing newer will speak for it.
     */
    private boolean isSuperseded(StageMessage message, String outcomeKey) {
        Upload upload = message.upload();
        if (message.sourceBucket() == null || message.sourceKey() == null || upload == null) {
            return false; // a message without provenance (the original project's two fields): nothing to compare
        }
        Optional<String> current = Provenance.currentETag(s3, message.sourceBucket(), message.sourceKey());
        if (current.isEmpty() || upload.sameBytes(current.get())) {
            return false;
        }
        LOG.atInfo().addKeyValue("video", outcomeKey).addKeyValue("stage", STAGE)
                .addKeyValue("etag", upload.eTag()).addKeyValue("currentEtag", current.get())
                .log("video replaced since this frame was taken: outcome left to the newer version");
        return true;
    }

    /** A frame that cannot be fetched for good (missing, denied, too large): an Error outcome, not a retry. */
    private static final class FrameRejected extends Exception {
        FrameRejected(String reason) {
            super(reason);
        }
    }

    private byte[] fetch(StageMessage message) throws FrameRejected {
        String where = "s3://" + message.bucketName() + "/" + message.imageFileName();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(message.bucketName())
                .key(message.imageFileName()))) {
            Long length = in.response().contentLength();
            if (length != null && length > MAX_FRAME_BYTES) {
                in.abort();
                throw new FrameRejected("the frame " + where + " is " + length + " bytes, above the limit of "
                        + MAX_FRAME_BYTES);
            }
            return in.readAllBytes();
        } catch (SdkException e) {
            if (AwsFailures.isTransient(e)) {
                throw e;
            }
            int status = e instanceof S3Exception s3e ? s3e.statusCode() : 0;
            throw new FrameRejected(status == 404 ? "frame not found: " + where
                    : "cannot read the frame " + where + ": " + AwsFailures.describe(e));
        } catch (java.io.IOException e) {
            throw SdkClientException.create("reading " + where + " failed: " + e.getMessage(), e); // retried
        }
    }

    private void fail(StageMessage message, String outcomeKey, String reason) {
        if (isSuperseded(message, outcomeKey)) {
            return;
        }
        LOG.atWarn().addKeyValue("video", outcomeKey).addKeyValue("stage", STAGE)
                .addKeyValue("outcome", Outcome.ERROR).addKeyValue("reason", reason).log("frame refused");
        outcomes.writeError(outcomeKey, message.upload(), ErrorRecord.of(STAGE, reason,
                message.sourceBucket() != null ? message.sourceBucket() : message.bucketName(), outcomeKey));
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
