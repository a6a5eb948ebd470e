package dev.facerec.cli.local;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.facerec.common.Env;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Outcome;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.localaws.LambdaEndpoint;
import dev.facerec.localaws.S3Front;
import dev.facerec.localaws.S3MockServer;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryJson;
import dev.facerec.recognition.lambda.FaceRecognitionHandler;
import dev.facerec.recognition.lambda.FaceRecognitionService;
import dev.facerec.splitter.lambda.VideoSplitter;
import dev.facerec.splitter.lambda.VideoSplittingHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The pipeline on loopback: S3 (S3Mock behind {@link S3Front}, which turns uploads to the input bucket into S3
 * events), Lambda's Invoke API, and both functions built from their environment exactly as on AWS, with the endpoint
 * variables pointing at these. Stopping drains it in pipeline order.
 */
public final class LocalStack implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String RECOGNITION_FUNCTION = "face-recognition";
    public static final String SPLITTING_FUNCTION = "video-splitting";
    private static final String GALLERY_KEY = "gallery.json";
    private static final Duration DRAIN = Duration.ofSeconds(30);

    /**
     * Where and what: the S3 endpoint and the Invoke endpoint listen on {@code host} (loopback, or an address a
     * container reaches) at {@code port} and {@code lambdaPort}, where 0 takes any free port; {@code data} null keeps
     * the objects in a temp folder; each
     * function runs at most its concurrency of executions at once, as Lambda's reserved concurrency, and queues the
     * rest. {@code splitterVariables} are the splitter's other settings ({@code FRAMES} and its companions).
     */
    public record Settings(InetAddress host, int port, int lambdaPort, Path data, String inputBucket, String stageBucket, String outputBucket,
                           String galleryBucket, int splittingConcurrency, int recognitionConcurrency,
                           Map<String, String> splitterVariables) {
        public Settings {
            splitterVariables = Map.copyOf(splitterVariables);
        }
    }

    /** One attempt of a function on one video: how long it took and what it left behind. */
    public record Step(String video, String function, long millis, String outcome) {
        /** {@code <video><TAB><function><TAB><ms> ms<TAB><outcome>}, as {@code faas local} prints it. */
        public String line() {
            return String.format(Locale.ROOT, "%s\t%s\t%d ms\t%s", video, function, millis, outcome);
        }
    }

    /** Who hears of each step, and of trouble while stopping. */
    public interface Listener {
        void step(Step step);

        void note(String message);
    }

    /** How busy a function got: the most executions at once, and the most invocations running or queued at once. */
    public record Load(int peakRunning, int peakPending) {
    }

    private final Settings settings;
    private final Path data;
    private final boolean temporaryData;
    private final Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Gallery gallery;
    private S3Front front;
    private S3MockServer s3mock;
    private S3Client s3;
    private LocalFunction<Map<String, Object>> recognizer;
    private LambdaEndpoint lambda;
    private LocalFunction<S3Event> splitter;

    private LocalStack(Settings settings, Path data, boolean temporaryData, Listener listener) {
        this.settings = settings;
        this.data = data;
        this.temporaryData = temporaryData;
        this.listener = listener;
    }

    /** The people face-recognition knows: a gallery file read, or photos enrolled (seconds). */
    @FunctionalInterface
    public interface GallerySource {
        Gallery load() throws IOException;
    }

    /** Starts everything; each step is told to {@code listener}. */
    public static LocalStack start(Settings settings, GallerySource gallery, Listener listener) throws IOException {
        boolean temporary = settings.data() == null;
        Path data = temporary ? Files.createTempDirectory("faas-local-") : settings.data();
        LocalStack stack = new LocalStack(settings, data, temporary, listener);
        try {
            stack.boot(gallery);
            return stack;
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void boot(GallerySource people) throws IOException {
        front = new S3Front(new InetSocketAddress(settings.host(), settings.port()));
        // S3Mock's start (Spring Boot: seconds of class loading) overlaps the gallery's enrolment.
        CompletableFuture<S3MockServer> starting = CompletableFuture.supplyAsync(() -> S3MockServer.start(data,
                List.of(settings.inputBucket(), settings.stageBucket(), settings.outputBucket(),
                        settings.galleryBucket())));
        try {
            gallery = people.load();
        } finally {
            s3mock = started(starting);
        }
        // The functions reach S3Mock directly, not through the front: what they write (frames, outcomes) must start
        // nothing, as on AWS where only the input bucket notifies.
        Map<String, String> aws = clientEnvironment(s3mock.url().toString());
        s3 = AwsClients.s3(AwsSettings.from(new Env(aws)));
        s3.putObject(b -> b.bucket(settings.galleryBucket()).key(GALLERY_KEY).contentType("application/json"),
                RequestBody.fromBytes(GalleryJson.write(gallery)));

        FaceRecognitionService recognition = FaceRecognitionService.fromEnvironment(environment(aws, Map.of(
                "STAGE_BUCKET", settings.stageBucket(), "INPUT_BUCKET", settings.inputBucket(),
                "OUTPUT_BUCKET", settings.outputBucket(), "GALLERY_URI", galleryUri())));
        recognizer = new LocalFunction<>(RECOGNITION_FUNCTION, settings.recognitionConcurrency(),
                new FaceRecognitionHandler(recognition), LocalStack::videoOf, payload -> outcome(videoOf(payload)),
                listener);
        lambda = new LambdaEndpoint(RECOGNITION_FUNCTION, recognizer::invokeAsync,
                new InetSocketAddress(settings.host(), settings.lambdaPort()));

        Map<String, String> splitterVariables = new HashMap<>(settings.splitterVariables());
        splitterVariables.putAll(Map.of("INPUT_BUCKET", settings.inputBucket(),
                "STAGE_BUCKET", settings.stageBucket(), "OUTPUT_BUCKET", settings.outputBucket(),
                "FACE_RECOGNITION_FUNCTION", RECOGNITION_FUNCTION,
                "AWS_ENDPOINT_URL_LAMBDA", lambda.url().toString()));
        VideoSplitter splitting = VideoSplitter.fromEnvironment(environment(aws, splitterVariables));
        splitter = new LocalFunction<>(SPLITTING_FUNCTION, settings.splittingConcurrency(),
                new VideoSplittingHandler(splitting),
                event -> firstRecord(event).getS3().getObject().getUrlDecodedKey(), this::splitOutcome, listener);

        front.start(s3mock.url(), settings.inputBucket(), created -> splitter.invokeAsync(created.toS3Event(REGION)));
    }

    private static S3MockServer started(CompletableFuture<S3MockServer> starting) {
        try {
            return starting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** What an SDK client of {@code s3Endpoint} needs: any credentials do. */
    private static Map<String, String> clientEnvironment(String s3Endpoint) {
        return Map.of("AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", "faas-local", "AWS_SECRET_ACCESS_KEY", "faas-local",
                "AWS_ENDPOINT_URL_S3", s3Endpoint);
    }

    /** A client of the S3 endpoint, as a user's: an upload to the input bucket starts the pipeline. */
    public S3Client newClient() {
        return AwsClients.s3(AwsSettings.from(new Env(clientEnvironment(s3Url().toString()))));
    }

    /** A function's environment, as Lambda gives each its own: the AWS part and the function's variables. */
    private static Env environment(Map<String, String> aws, Map<String, String> function) {
        Map<String, String> env = new HashMap<>(aws);
        env.putAll(function);
        return new Env(env);
    }

    public int port() {
        return front.port();
    }

    /** The S3 endpoint, as this machine reaches it. */
    public URI s3Url() {
        return S3MockServer.urlOf(new InetSocketAddress(settings.host(), port()));
    }

    /** Lambda's Invoke API for face-recognition (asynchronous only), as this machine reaches it. */
    public URI lambdaUrl() {
        return lambda.url();
    }

    /** Where S3Mock keeps the objects. */
    public Path data() {
        return data;
    }

    public boolean temporaryData() {
        return temporaryData;
    }

    /** The people face-recognition was started with. */
    public Gallery gallery() {
        return gallery;
    }

    public String inputBucket() {
        return settings.inputBucket();
    }

    public String stageBucket() {
        return settings.stageBucket();
    }

    public String outputBucket() {
        return settings.outputBucket();
    }

    public String galleryUri() {
        return "s3://" + settings.galleryBucket() + "/" + GALLERY_KEY;
    }

    public Load splittingLoad() {
        return splitter.load();
    }

    public Load recognitionLoad() {
        return recognizer.load();
    }

    private static S3EventNotificationRecord firstRecord(S3Event event) {
        return event.getRecords().get(0);
    }

    /** The video a stage message is about: the outcome is named after it. */
    private static String videoOf(Map<String, Object> stageMessage) {
        Object source = stageMessage.get("source_key");
        return String.valueOf(source != null ? source : stageMessage.get("image_file_name"));
    }

    /** The frame the splitter handed on, or the Error outcome it wrote instead. */
    private String splitOutcome(S3Event event) {
        S3EventNotificationRecord record = firstRecord(event);
        String key = record.getS3().getObject().getUrlDecodedKey();
        try {
            HeadObjectResponse frame = s3.headObject(b -> b.bucket(settings.stageBucket())
                    .key(ObjectKeys.frameKey(key)));
            // This upload's frame, not one left by an earlier video of the same name.
            if (record.getS3().getObject().geteTag().equals(frame.metadata().get("source-etag"))) {
                boolean several = "keyframes".equals(settings.splitterVariables().get("FRAMES"));
                return (several ? "frames from " : "frame at ") + frame.metadata().get(VideoSplitter.FRAME_TIME)
                        + " s -> " + RECOGNITION_FUNCTION;
            }
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        return outcome(key);
    }

    /** The output bucket's outcome for a video, with the reason when it is an Error. */
    private String outcome(String videoKey) {
        String outcome = s3.getObjectAsBytes(b -> b.bucket(settings.outputBucket())
                .key(ObjectKeys.outcomeKey(videoKey))).asUtf8String();
        if (!Outcome.ERROR.equals(outcome)) {
            return outcome;
        }
        byte[] record = s3.getObjectAsBytes(b -> b.bucket(settings.outputBucket())
                .key(ObjectKeys.recordKey(videoKey))).asByteArrayUnsafe();
        try {
            return outcome + ": " + Json.MAPPER.readTree(record).path("reason").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops in pipeline order: no more uploads, the splits under way finish (and hand their frames on), then the
     * recognitions, each within a bounded wait; then S3, and the temp folder goes.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        if (front != null) {
            front.close();
        }
        boolean drained = splitter == null || splitter.stop(DRAIN);
        if (lambda != null) {
            lambda.close();
        }
        drained &= (recognizer == null || recognizer.stop(DRAIN));
        if (!drained) {
            listener.note("stopping: invocations still running after " + DRAIN.toSeconds() + " s were abandoned");
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
        if (temporaryData) {
            deleteTree(data);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /** Named daemon threads: what is left running must not keep the JVM alive. */
}
