package dev.facerec.recognition.lambda;

import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import dev.facerec.common.ErrorRecord;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Outcome;
import dev.facerec.common.StageMessage;
import dev.facerec.common.Upload;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsFailures;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.common.aws.OutcomeWriter;
import dev.facerec.common.aws.Provenance;
import dev.facerec.common.aws.Provenance.Origin;
import dev.facerec.common.metrics.EmfMetrics;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.ImageProbe;
import dev.facerec.recognition.Recognizer;
import dev.facerec.recognition.Recognizer.Recognition;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryException;
import dev.facerec.recognition.gallery.Matcher;
import dev.facerec.recognition.timeline.TimedRecognition;
import dev.facerec.recognition.timeline.Timeline;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The frames of one video in the stage-1 bucket (one, or the list a {@code FRAMES=keyframes} splitter sent) to one
 * outcome in the output bucket: the person seen in the most frames ({@link Timeline}; with one frame, the largest
 * face that matches), {@code Unknown}, {@code NoFace}, or {@code Error} with the reason, and a record with the
 * timeline of who was seen when. Failures a retry may fix are thrown for Lambda to retry.
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
    private final EmfMetrics metrics;
    private final AtomicBoolean cold = new AtomicBoolean(true);

    public FaceRecognitionService(RecognitionConfig config, S3Client s3, Recognizer recognizer, GalleryCache gallery) {
        this(config, s3, recognizer, gallery, EmfMetrics.off());
    }

    public FaceRecognitionService(RecognitionConfig config, S3Client s3, Recognizer recognizer, GalleryCache gallery,
                                  EmfMetrics metrics) {
        this.config = config;
        this.s3 = s3;
        this.recognizer = recognizer;
        this.gallery = gallery;
        this.outcomes = new OutcomeWriter(s3, config.outputBucket());
        this.metrics = metrics;
    }

    /** Everything built once: configuration checked, clients created, engine and weights loaded, gallery read. */
    public static FaceRecognitionService fromEnvironment(Env env) {
        RecognitionConfig config = RecognitionConfig.from(env);
        EmfMetrics metrics = EmfMetrics.fromEnvironment(env, STAGE);
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
        return new FaceRecognitionService(config, s3, new Recognizer(FaceAnalyzer.create(config.detector())), gallery,
                metrics);
    }

    /**
     * Recognises the frame one stage message points at, within {@code deadline}. The message is only a pointer: the
     * video the frame is of, and so where its outcome goes, is what the frame's own metadata says (only the splitter
     * writes frames). A message for another bucket than STAGE_BUCKET, for a frame that is gone, or for a frame the
     * splitter did not write for its video is dropped with a WARN line and writes nothing, since no outcome key could
     * be trusted; a message for a trusted frame that cannot be recognised gets its Error outcome.
     *
     * <p>Async invokes come at least once and a video can be replaced while its frame is in flight: a message whose
     * outcome is already written (same upload) does nothing, and one for an older version of the frame, or whose
     * video has since changed, writes nothing. Deliveries that run at the same time are settled by {@link
     * OutcomeWriter}'s conditional writes: one writes the upload's outcome, and a newer upload's outcome stays.
     */
    public void process(String json, Deadline deadline) {
        long start = System.nanoTime();
        boolean coldStart = cold.getAndSet(false);
        if (coldStart) {
            metrics.coldStart();
        }
        StageMessage message;
        String malformed = null;
        try {
            message = StageMessage.fromJson(json);
        } catch (IllegalArgumentException e) {
            malformed = e.getMessage();
            message = StageMessage.readableFieldsOf(json).orElse(null);
            if (message == null) {
                refuse(null, malformed);
                return;
            }
        }
        if (!config.stageBucket().equals(message.bucketName())) {
            refuse(message, "the message names bucket '" + message.bucketName() + "', not STAGE_BUCKET");
            return;
        }
        Frame frame;
        try {
            frame = fetch(message);
        } catch (Refused e) {
            refuse(message, e.getMessage());
            return;
        }
        Origin origin = frame.origin();
        if (message.sourceETag() != null && !origin.upload().sameBytes(message.sourceETag())) {
            LOG.atInfo().addKeyValue("video", origin.key()).addKeyValue("stage", STAGE)
                    .addKeyValue("etag", message.sourceETag()).addKeyValue("frameEtag", origin.upload().eTag())
                    .log("frame replaced by a newer version's since this message was sent: left to that message");
            return;
        }
        if (malformed != null) {
            failMalformed(origin, malformed);
            return;
        }
        if (message.upload() != null && outcomes.isWritten(origin.key(), message.upload())) {
            LOG.atInfo().addKeyValue("video", origin.key()).addKeyValue("stage", STAGE)
                    .log("outcome already written for this version (message delivered again): nothing to do");
            return;
        }
        // The message's sequencer tells which upload of these bytes this is (a copy onto itself runs it again).
        Upload upload = message.upload() != null ? message.upload() : origin.upload();
        if (frame.rejection() != null) {
            fail(origin, upload, frame.rejection());
            return;
        }
        long fetchedAt = System.nanoTime();
        Matcher matcher;
        try {
            matcher = new Matcher(gallery.current(), config.matchThreshold());
        } catch (GalleryException e) {
            fail(origin, upload, e.getMessage());
            return;
        }
        if (deadline.hasPassed()) {
            fail(origin, upload, deadline.explanation());
            return;
        }
        VideoRecognition video;
        try {
            video = recognizeFrames(message, origin, frame.jpeg(), matcher, deadline);
        } catch (Stale stale) {
            LOG.atInfo().addKeyValue("video", origin.key()).addKeyValue("stage", STAGE)
                    .addKeyValue("frame", stale.getMessage())
                    .log("a frame of this message was replaced by a newer version's: left to that version's message");
            return;
        }
        if (video.recognised().isEmpty()) {
            fail(origin, upload, video.frames().get(0).error());
            return;
        }
        Timeline timeline = Timeline.of(video.recognised());
        String outcome = timeline.outcome();
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("fetch", ms(fetchedAt - start + video.fetchNanos()));
        timings.put("decode", round(video.sum(Recognizer.Timings::decodeMs)));
        timings.put("detect", round(video.sum(Recognizer.Timings::detectMs)));
        timings.put("landmarks", round(video.sum(Recognizer.Timings::landmarksMs)));
        timings.put("descriptor", round(video.sum(Recognizer.Timings::descriptorMs)));
        timings.put("match", round(video.sum(Recognizer.Timings::matchMs)));
        timings.put("total_before_write", ms(System.nanoTime() - start));
        if (isSuperseded(origin)) {
            return;
        }
        boolean complete = message.coversTheVideo() && video.complete();
        String incompleteReason = !message.coversTheVideo() ? message.incompleteReason() : video.incompleteReason();
        Recognition first = video.frames().get(0).recognition();
        OutcomeWriter.Result written = outcomes.write(origin.key(), upload, outcome, new RecognitionRecord(
                outcome, message.bucketName(), message.imageFileName(), origin.bucket(),
                origin.key(), Gallery.MODEL, config.matchThreshold(),
                first == null ? List.of() : RecognitionRecord.faces(first), timeline.people(),
                message.frames() == null ? null : RecognitionRecord.frames(video.frames()), complete,
                complete ? null : incompleteReason, coldStart, timings));
        if (written != OutcomeWriter.Result.WRITTEN) {
            return; // another delivery of this upload, or a newer upload, came first: the writer said which
        }
        recordMetrics(outcome, video, timings, start); // after the write: Outcomes counts outcomes written, once
        var line = LOG.atInfo().addKeyValue("video", origin.key()).addKeyValue("stage", STAGE)
                .addKeyValue("outcome", outcome).addKeyValue("frames", video.recognised().size())
                .addKeyValue("faces", video.recognised().stream().mapToInt(r -> r.recognition().faces().size()).sum())
                .addKeyValue("people", timeline.people().size()).addKeyValue("coldStart", coldStart);
        if (!complete) {
            line.addKeyValue("incompleteReason", incompleteReason);
        }
        timings.forEach((stage, ms) -> line.addKeyValue(stage + "Ms", ms));
        line.addKeyValue("totalMs", round(ms(System.nanoTime() - start)))
                .log(video.frames().size() == 1 ? "frame recognised" : "frames recognised");
    }

    /** Every frame of the message recognised, in its order, until the time runs out. */
    private VideoRecognition recognizeFrames(StageMessage message, Origin origin, byte[] firstJpeg, Matcher matcher,
                                             Deadline deadline) throws Stale {
        List<StageMessage.FrameRef> refs = message.framesToRecognise();
        List<FrameOutcome> frames = new ArrayList<>();
        long fetchNanos = 0;
        String incomplete = null;
        for (int i = 0; i < refs.size(); i++) {
            StageMessage.FrameRef ref = refs.get(i);
            if (i > 0 && deadline.hasPassed()) {
                incomplete = "the time ran out after " + i + " of " + refs.size() + " frames, at "
                        + String.format(Locale.ROOT, "%.1f s", ref.seconds());
                break;
            }
            byte[] jpeg = firstJpeg;
            String error = null;
            if (i > 0) {
                long fetchStart = System.nanoTime();
                try {
                    jpeg = fetchLaterFrame(message.bucketName(), ref.key(), origin);
                } catch (Refused e) {
                    error = e.getMessage();
                }
                fetchNanos += System.nanoTime() - fetchStart;
            }
            frames.add(error != null ? FrameOutcome.failed(ref, error) : recognizeOne(ref, jpeg, matcher));
        }
        return new VideoRecognition(frames, fetchNanos, incomplete);
    }

    private FrameOutcome recognizeOne(StageMessage.FrameRef ref, byte[] jpeg, Matcher matcher) {
        try {
            ImageProbe.check(jpeg);
            return new FrameOutcome(ref, recognizer.recognize(jpeg, matcher), null);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            return FrameOutcome.failed(ref, "the frame is not a usable image: " + e.getMessage());
        }
    }

    /** A frame the message lists was replaced by another upload's since it was sent. */
    private static final class Stale extends Exception {
        Stale(String frame) {
            super(frame);
        }
    }

    /**
     * A frame after the first, which must be one the splitter wrote for the same upload of the same video: a frame of
     * another video is refused (this frame's entry says why), a newer upload's frame makes the message stale.
     */
    private byte[] fetchLaterFrame(String bucket, String key, Origin origin) throws Refused, Stale {
        if (!ObjectKeys.isFrameOf(origin.key(), key)) {
            throw new Refused("not a frame key of the video " + origin.key() + ": " + key);
        }
        String where = "s3://" + bucket + "/" + key;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Optional<Origin> claimed = Provenance.originOf(in.response().metadata());
            if (claimed.isEmpty() || !claimed.get().bucket().equals(origin.bucket())
                    || !claimed.get().key().equals(origin.key())) {
                in.abort();
                throw new Refused("the frame " + where + " is not of the video " + origin.key());
            }
            if (!claimed.get().upload().sameBytes(origin.upload().eTag())) {
                in.abort();
                throw new Stale(where);
            }
            Long length = in.response().contentLength();
            if (length != null && length > MAX_FRAME_BYTES) {
                in.abort();
                throw new Refused("the frame " + where + " is " + length + " bytes, above the limit of "
                        + MAX_FRAME_BYTES);
            }
            return in.readAllBytes();
        } catch (SdkException e) {
            throw refusedRead(where, e);
        } catch (java.io.IOException e) {
            throw SdkClientException.create("reading " + where + " failed: " + e.getMessage(), e); // retried
        }
    }

    /** Why a frame cannot be read (not there, access refused); a failure a retry may mend is thrown for Lambda. */
    private static Refused refusedRead(String where, SdkException e) {
        if (AwsFailures.isTransient(e)) {
            throw e;
        }
        int status = e instanceof S3Exception s3e ? s3e.statusCode() : 0;
        return new Refused(status == 404 ? "frame not found: " + where
                : "cannot read the frame " + where + ": " + AwsFailures.describe(e));
    }

    /** One frame of the message: what was recognised, or why it could not be. */
    record FrameOutcome(StageMessage.FrameRef ref, Recognition recognition, String error) {
        static FrameOutcome failed(StageMessage.FrameRef ref, String error) {
            return new FrameOutcome(ref, null, error);
        }
    }

    /** The frames of one message, how long the later ones took to fetch, and why they stop early, if they do. */
    private record VideoRecognition(List<FrameOutcome> frames, long fetchNanos, String incompleteReason) {
        List<TimedRecognition> recognised() {
            return frames.stream().filter(f -> f.recognition() != null)
                    .map(f -> new TimedRecognition(f.ref().key(), f.ref().seconds(), f.recognition())).toList();
        }

        boolean complete() {
            return incompleteReason == null;
        }

        double sum(ToDoubleFunction<Recognizer.Timings> stage) {
            return frames.stream().filter(f -> f.recognition() != null)
                    .mapToDouble(f -> stage.applyAsDouble(f.recognition().timings())).sum();
        }
    }

    /**
     * Whether the video this frame came from has been replaced since (its ETag is no longer the frame's): the newer
     * version has its own event, and this outcome must not overwrite its outcome. A deleted video still gets its
     * outcome: it was uploaded, and nothing newer will speak for it.
     */
    private boolean isSuperseded(Origin origin) {
        Optional<String> current = Provenance.currentETag(s3, origin.bucket(), origin.key());
        if (current.isEmpty() || origin.upload().sameBytes(current.get())) {
            return false;
        }
        LOG.atInfo().addKeyValue("video", origin.key()).addKeyValue("stage", STAGE)
                .addKeyValue("etag", origin.upload().eTag()).addKeyValue("currentEtag", current.get())
                .log("video replaced since this frame was taken: outcome left to the newer version");
        return true;
    }

    /** A message that names nothing an outcome could be trusted to: it is dropped. */
    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /** A frame the splitter wrote: its video, and its bytes or why they cannot be used (an Error, not a retry). */
    private record Frame(Origin origin, byte[] jpeg, String rejection) {
    }

    private Frame fetch(StageMessage message) throws Refused {
        String where = "s3://" + message.bucketName() + "/" + message.imageFileName();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(message.bucketName())
                .key(message.imageFileName()))) {
            Origin origin;
            try {
                origin = trustedOrigin(message, in.response().metadata());
            } catch (Refused e) {
                in.abort(); // whatever it is, its body is not read
                throw e;
            }
            Long length = in.response().contentLength();
            if (length != null && length > MAX_FRAME_BYTES) {
                in.abort();
                return new Frame(origin, null, "the frame " + where + " is " + length + " bytes, above the limit of "
                        + MAX_FRAME_BYTES);
            }
            return new Frame(origin, in.readAllBytes(), null);
        } catch (SdkException e) {
            throw refusedRead(where, e);
        } catch (java.io.IOException e) {
            throw SdkClientException.create("reading " + where + " failed: " + e.getMessage(), e); // retried
        }
    }

    /**
     * The video the frame is of, as its metadata says. Refused when the splitter cannot have written the frame for
     * that video (no provenance, a bucket other than INPUT_BUCKET, not at that video's frame key), or when the
     * message claims another video.
     */
    private Origin trustedOrigin(StageMessage message, Map<String, String> metadata) throws Refused {
        Origin origin = Provenance.originOf(metadata).orElseThrow(() -> new Refused("the frame has no provenance "
                + "metadata (" + Provenance.SOURCE_BUCKET + ", " + Provenance.SOURCE_KEY + ", "
                + Provenance.SOURCE_ETAG + ")"));
        if (!config.inputBucket().equals(origin.bucket())) {
            throw new Refused("the frame's metadata names bucket '" + origin.bucket() + "', not INPUT_BUCKET");
        }
        String frameKey = ObjectKeys.frameKey(origin.key());
        if (!frameKey.equals(message.imageFileName())) {
            throw new Refused("the frame's metadata names video '" + origin.key() + "', whose frame is " + frameKey);
        }
        if (contradicts(message.sourceBucket(), origin.bucket()) || contradicts(message.sourceKey(), origin.key())) {
            throw new Refused("the message's source_bucket and source_key are not the frame's video s3://"
                    + origin.bucket() + "/" + origin.key());
        }
        return origin;
    }

    private static boolean contradicts(String claimed, String actual) {
        return claimed != null && !claimed.equals(actual);
    }

    private static void refuse(StageMessage message, String reason) {
        var line = LOG.atWarn().addKeyValue("stage", STAGE).addKeyValue("reason", reason);
        if (message != null) {
            line = line.addKeyValue("frame", "s3://" + message.bucketName() + "/" + message.imageFileName());
        }
        line.log("stage message refused: nothing written");
    }

    /**
     * A message for a trusted frame that could not be read whole: an Error for the frame's video, unless that video
     * already has an outcome for these bytes, which a malformed copy must not undo. The Error records no upload, so
     * that any well-formed delivery for the video still replaces it.
     */
    private void failMalformed(Origin origin, String reason) {
        if (outcomes.isWrittenForBytes(origin.key(), origin.upload())) {
            LOG.atWarn().addKeyValue("video", origin.key()).addKeyValue("stage", STAGE).addKeyValue("reason", reason)
                    .log("malformed stage message for a video whose outcome is written: nothing written");
            return;
        }
        fail(origin, null, "stage message refused: " + reason);
    }

    /** @param upload the upload the Error is for; null when no delivery can be told (a malformed message) */
    private void fail(Origin origin, Upload upload, String reason) {
        if (isSuperseded(origin)) {
            return;
        }
        LOG.atWarn().addKeyValue("video", origin.key()).addKeyValue("stage", STAGE)
                .addKeyValue("outcome", Outcome.ERROR).addKeyValue("reason", reason).log("frame refused");
        if (outcomes.writeError(origin.key(), upload, ErrorRecord.of(STAGE, reason, origin.bucket(), origin.key()))
                == OutcomeWriter.Result.WRITTEN) {
            metrics.outcome(Outcome.ERROR);
        }
    }

    /** The outcome written, the faces in each frame recognised, and each stage's time over all frames. */
    private void recordMetrics(String outcome, VideoRecognition video, Map<String, Double> timings, long start) {
        metrics.outcome(outcome);
        metrics.document()
                .counts("FacesPerFrame", video.recognised().stream().map(r -> r.recognition().faces().size()).toList())
                .milliseconds("FetchTime", timings.get("fetch")).milliseconds("DecodeTime", timings.get("decode"))
                .milliseconds("DetectTime", timings.get("detect"))
                .milliseconds("LandmarksTime", timings.get("landmarks"))
                .milliseconds("DescriptorTime", timings.get("descriptor"))
                .milliseconds("MatchTime", timings.get("match"))
                .milliseconds("TotalTime", ms(System.nanoTime() - start)).emit();
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
