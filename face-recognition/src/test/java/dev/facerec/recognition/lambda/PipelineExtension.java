package dev.facerec.recognition.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import dev.facerec.common.testing.TestAws;
import dev.facerec.common.testing.WireLambdaEndpoint;
import dev.facerec.recognition.SampleFaces;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryJson;
import dev.facerec.splitter.lambda.SampleEvents;
import dev.facerec.splitter.lambda.VideoSplitter;
import dev.facerec.splitter.lambda.VideoSplittingHandler;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Both functions deployed for a test class as on AWS: S3Mock with the pipeline's buckets and a gallery uploaded, the
 * handlers built from their environment with their S3 client pointed at S3Mock (or at a {@link FaultyS3Proxy} in front
 * of it) and the splitter's Lambda client at a loopback endpoint that takes its async invokes off the wire. Register
 * it as a {@code @RegisterExtension static final} field. Each test starts from the deployment: the input, stage and
 * output buckets empty, the endpoint answering 202 with no request recorded, the proxy calm. After the class it
 * closes what it built, and only that. A gallery whose photos are missing (no {@code ../shared}) builds nothing and
 * skips each test with SharedData's message; with {@code CI=true} SharedData fails the class instead.
 */
final class PipelineExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    static final String INPUT = SampleEvents.INPUT_BUCKET;
    // The samples' names (samples/events/stage-message.json is one of the test messages).
    static final String STAGE = "amzn-s3-demo-faas-stage";
    static final String OUTPUT = "amzn-s3-demo-faas-output";
    static final String GALLERIES = "amzn-s3-demo-faas-gallery";
    static final String FUNCTION = "face-recognition";
    private static final String GALLERY_KEY = "gallery.json";
    /** The functions' {@code GALLERY_URI}: the gallery uploaded before they start. */
    static final String GALLERY_URI = "s3://" + GALLERIES + "/" + GALLERY_KEY;

    private final Supplier<Gallery> gallery;
    /** The fault proxy's seed; null: the functions talk to S3Mock directly. */
    private final Long faultSeed;
    /** Settings of both functions beyond the deployment's buckets and gallery ({@code FRAMES=keyframes}). */
    private final Map<String, String> settings;
    private final S3MockExtension s3Mock = S3MockExtension.builder().silent()
            .withInitialBuckets(INPUT, STAGE, OUTPUT, GALLERIES).build();
    /** What beforeAll built, the last first: what afterAll closes. */
    private final Deque<AutoCloseable> built = new ArrayDeque<>();
    /** Why the gallery could not be made, when its data is missing. */
    private TestAbortedException missingData;
    private S3Client s3;
    private WireLambdaEndpoint lambda;
    private FaultyS3Proxy proxy;
    private Map<String, String> environment;
    private VideoSplittingHandler splitter;
    private FaceRecognitionHandler recognizer;
    private FaceRecognitionService recognition;

    private PipelineExtension(Supplier<Gallery> gallery, Long faultSeed, Map<String, String> settings) {
        this.gallery = gallery;
        this.faultSeed = faultSeed;
        this.settings = Map.copyOf(settings);
    }

    /** The seed gallery, enrolled from {@code ../shared}'s photos: without them each test of the class is skipped. */
    static PipelineExtension withSeedGallery() {
        return new PipelineExtension(RecognitionFixture::seedGallery, null, Map.of());
    }

    /** {@link SampleFaces#gallery()}: one person, from a photo the jar bundles. */
    static PipelineExtension withSampleGallery() {
        return new PipelineExtension(SampleFaces::gallery, null, Map.of());
    }

    /** {@link SampleFaces#twoPeople()}: two people, from photos the jar bundles. */
    static PipelineExtension withTwoSamplePeople() {
        return new PipelineExtension(SampleFaces::twoPeople, null, Map.of());
    }

    /** Both functions deployed with {@code name=value} as well (for example {@code FRAMES=keyframes}). */
    PipelineExtension with(String name, String value) {
        Map<String, String> more = new HashMap<>(settings);
        more.put(name, value);
        return new PipelineExtension(gallery, faultSeed, more);
    }

    /** The functions' S3 requests go through a proxy seeded with {@code seed}: no fault until a test asks. */
    PipelineExtension throughFaultyProxy(long seed) {
        return new PipelineExtension(gallery, seed, settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Gallery enrolled;
        try {
            enrolled = gallery.get();
        } catch (TestAbortedException e) {
            // Surefire reports a class skipped before its tests as no tests at all, without the reason (SUREFIRE-2300).
            missingData = e;
            return;
        }
        s3Mock.beforeAll(context);
        built.push(() -> s3Mock.afterAll(context));
        s3 = s3Mock.createS3ClientV2();
        built.push(s3);
        lambda = new WireLambdaEndpoint();
        built.push(lambda);
        int s3Port = s3Mock.getHttpPort();
        if (faultSeed != null) {
            proxy = new FaultyS3Proxy(s3Port, faultSeed);
            built.push(proxy);
            s3Port = proxy.port();
        }
        s3.putObject(b -> b.bucket(GALLERIES).key(GALLERY_KEY), RequestBody.fromBytes(GalleryJson.write(enrolled)));
        environment = new HashMap<>(TestAws.environment(s3Port, lambda.url()));
        environment.put("INPUT_BUCKET", INPUT);
        environment.put("STAGE_BUCKET", STAGE);
        environment.put("OUTPUT_BUCKET", OUTPUT);
        environment.put("FACE_RECOGNITION_FUNCTION", FUNCTION);
        environment.put("GALLERY_URI", GALLERY_URI);
        environment.putAll(settings);
        splitter = new VideoSplittingHandler(VideoSplitter.fromEnvironment(new Env(environment)));
        recognition = FaceRecognitionService.fromEnvironment(new Env(environment));
        recognizer = new FaceRecognitionHandler(recognition);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (missingData != null) {
            Assumptions.abort(missingData.getMessage());
        }
        for (String bucket : List.of(INPUT, STAGE, OUTPUT)) {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
            }
        }
        lambda.clear();
        lambda.respondWith(202);
        if (proxy != null) {
            proxy.calm();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Exception failure = null;
        while (!built.isEmpty()) {
            try {
                built.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The splitter on the S3 event of {@code key}, then the recogniser on the one async invoke it sent. */
    void runPipeline(String key) {
        lambda.clear();
        split(key);
        assertThat(lambda.requests()).as("async invokes for %s", key).hasSize(1);
        recognise(lambda.requests().get(0).body());
    }

    /** Uploads {@code video} to the input bucket as {@code key}; no event is sent. */
    void upload(String key, Path video) {
        s3.putObject(b -> b.bucket(INPUT).key(key), RequestBody.fromFile(video));
    }

    /** The splitter on the S3 event of {@code key}; its invokes stay in {@link #lambda()}. */
    void split(String key) {
        splitter.handleRequest(SampleEvents.putEvent(key), null);
    }

    /** The recogniser on a stage message, as Lambda hands the JSON to it. */
    void recognise(String message) {
        recognizer.handleRequest(RecognitionFixture.message(message), null);
    }

    /** The recogniser on a stage message within {@code deadline} (the handler makes one from Lambda's context). */
    void recognise(String message, Deadline deadline) {
        recognition.process(message, deadline);
    }

    /** The payloads of the async invokes recorded since the last {@code lambda().clear()}. */
    List<String> invokes() {
        return lambda.requests().stream().map(WireLambdaEndpoint.Request::body).toList();
    }

    /** An object of the output bucket, as text. */
    String output(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(OUTPUT).key(key)).asUtf8String();
    }

    /** The test's own client, straight to S3Mock: its checks never meet the proxy's faults. */
    S3Client s3() {
        return s3;
    }

    WireLambdaEndpoint lambda() {
        return lambda;
    }

    FaultyS3Proxy proxy() {
        if (proxy == null) {
            throw new IllegalStateException("deployed without a FaultyS3Proxy: use throughFaultyProxy(seed)");
        }
        return proxy;
    }

    VideoSplittingHandler splitter() {
        return splitter;
    }

    FaceRecognitionHandler recognizer() {
        return recognizer;
    }

    /** The functions' environment, to change and build another function from. */
    Map<String, String> environment() {
        return new HashMap<>(environment);
    }
}
