package dev.facerec.splitter.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facerec.common.ConfigException;
import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.common.testing.CapturedMetrics;
import dev.facerec.common.testing.SharedData;
import dev.facerec.common.testing.TestAws;
import dev.facerec.common.testing.WireLambdaEndpoint;
import dev.facerec.splitter.core.BombVideos;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.TestVideos;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The handler end to end on real parts: events from {@code samples/events} deserialised as Lambda does, S3Mock over
 * HTTP, FFmpeg on the real videos, and the async invoke checked on the wire.
 */
class VideoSplittingHandlerTest {
    static final String INPUT = SampleEvents.INPUT_BUCKET;
    static final String STAGE = "faas-stage";
    static final String OUTPUT = "faas-output";
    static final String FUNCTION = "face-recognition";

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent()
            .withInitialBuckets(INPUT, STAGE, OUTPUT).build();

    @TempDir
    static Path dir;

    @RegisterExtension
    final CapturedMetrics captured = new CapturedMetrics();

    static WireLambdaEndpoint lambda;
    static S3Client s3;
    static VideoSplittingHandler handler;
    /** The same function deployed with {@code FRAMES=keyframes}. */
    static VideoSplittingHandler keyframesHandler;

    @BeforeAll
    static void start() {
        lambda = new WireLambdaEndpoint();
        Map<String, String> env = environment();
        VideoSplitter splitter = VideoSplitter.fromEnvironment(new Env(env));
        handler = new VideoSplittingHandler(splitter);
        env.put("FRAMES", "keyframes");
        keyframesHandler = new VideoSplittingHandler(VideoSplitter.fromEnvironment(new Env(env)));
        s3 = S3_MOCK.createS3ClientV2();
    }

    static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(TestAws.environment(S3_MOCK.getHttpPort(), lambda.url()));
        env.put("INPUT_BUCKET", INPUT);
        env.put("STAGE_BUCKET", STAGE);
        env.put("OUTPUT_BUCKET", OUTPUT);
        env.put("FACE_RECOGNITION_FUNCTION", FUNCTION);
        return env;
    }

    @AfterAll
    static void stop() {
        lambda.close();
    }

    @BeforeEach
    void clean() {
        lambda.clear();
        lambda.respondWith(202);
        for (String bucket : List.of(INPUT, STAGE, OUTPUT)) {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
            }
        }
    }

    static void upload(String key, Path file) {
        s3.putObject(b -> b.bucket(INPUT).key(key), RequestBody.fromFile(file));
    }

    static void upload(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(INPUT).key(key), RequestBody.fromBytes(bytes));
    }

    static List<String> keys(String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    static String text(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    @Test
    void samplePutEventGivesAFrameAndAnAsyncInvokeOnTheWire() throws Exception {
        upload("test_0.mp4", SharedData.seedVideo("test_0.mp4"));

        handler.handleRequest(SampleEvents.read("s3-put.json"), null);

        ResponseBytes<GetObjectResponse> frame = s3.getObjectAsBytes(b -> b.bucket(STAGE).key("test_0.jpg"));
        assertThat(frame.response().contentType()).isEqualTo("image/jpeg");
        assertThat(frame.response().metadata()).containsEntry("source-key", "test_0.mp4")
                .containsEntry("source-bucket", INPUT).containsEntry("frame-size", "1280x720");
        BufferedImage image = ImageIO.read(frame.asInputStream());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(720);

        assertThat(lambda.requests()).hasSize(1);
        WireLambdaEndpoint.Request invoke = lambda.requests().get(0);
        assertThat(invoke.method()).isEqualTo("POST");
        assertThat(invoke.path()).isEqualTo("/2015-03-31/functions/" + FUNCTION + "/invocations");
        assertThat(invoke.header("X-Amz-Invocation-Type")).isEqualTo("Event");
        JsonNode body = Json.MAPPER.readTree(invoke.body());
        assertThat(body.get("bucket_name").asText()).isEqualTo(STAGE);
        assertThat(body.get("image_file_name").asText()).isEqualTo("test_0.jpg");
        assertThat(body.get("source_key").asText()).isEqualTo("test_0.mp4");
        assertThat(body.get("frame_time_seconds").asDouble()).isZero();
        assertThat(keys(OUTPUT)).isEmpty();
    }

    @Test
    void urlEncodedKeyWithSpacesAndParenthesesKeepsItsNameAndPrefix() throws Exception {
        upload("uploads/my clip (1).mp4", SharedData.seedVideo("test_2.mp4"));

        handler.handleRequest(SampleEvents.read("s3-put-key-with-spaces.json"), null);

        assertThat(keys(STAGE)).containsExactly("uploads/my clip (1).jpg");
        JsonNode body = Json.MAPPER.readTree(lambda.requests().get(0).body());
        assertThat(body.get("image_file_name").asText()).isEqualTo("uploads/my clip (1).jpg");
        assertThat(body.get("source_key").asText()).isEqualTo("uploads/my clip (1).mp4");
    }

    @Test
    void everyRecordOfTheEventIsAVideo() throws Exception {
        upload("test_4.mp4", SharedData.seedVideo("test_4.mp4"));
        upload("test_7.mp4", SharedData.seedVideo("test_7.mp4"));

        handler.handleRequest(SampleEvents.read("s3-put-two-records.json"), null);

        assertThat(keys(STAGE)).containsExactlyInAnyOrder("test_4.jpg", "test_7.jpg");
        assertThat(lambda.requests()).hasSize(2);
    }

    @Test
    void theS3TestEventIsIgnored() throws Exception {
        handler.handleRequest(SampleEvents.read("s3-test-event.json"), null);

        assertThat(keys(STAGE)).isEmpty();
        assertThat(keys(OUTPUT)).isEmpty();
        assertThat(lambda.requests()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"test_0.mp4,1280,720", "test_1.mp4,1920,1080", "test_2.mp4,1280,720", "test_4.mp4,854,480",
            "test_5.mp4,1920,1080", "test_6.mp4,1280,720", "test_7.mp4,1280,720", "test_8.mp4,1920,1080"})
    void everyCourseVideoGivesItsFrame(String name, int width, int height) throws Exception {
        upload("course/" + name, SharedData.seedVideo(name));

        handler.handleRequest(SampleEvents.putEvent("course/" + name), null);

        String frameKey = "course/" + name.replace(".mp4", ".jpg");
        BufferedImage image = ImageIO.read(s3.getObject(b -> b.bucket(STAGE).key(frameKey)));
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        assertThat(lambda.requests()).hasSize(1);
    }

    @Test
    void badInputsEachEndAsOneErrorOutcomeAndNothingElse() throws Exception {
        byte[] course = Files.readAllBytes(SharedData.seedVideo("test_0.mp4"));
        Map<String, String> reasons = new java.util.LinkedHashMap<>();
        upload("bad/empty.mp4", new byte[0]);
        reasons.put("bad/empty.mp4", "the object is empty");
        upload("bad/text.mp4", "hello, this is not a video\n".repeat(40).getBytes(StandardCharsets.UTF_8));
        reasons.put("bad/text.mp4", "cannot open as a video");
        upload("bad/truncated.mp4", Arrays.copyOf(course, 3000));
        reasons.put("bad/truncated.mp4", "");
        upload("bad/audio.mp4", TestVideos.audioOnly(dir.resolve("audio.mp4")));
        reasons.put("bad/audio.mp4", "the file has no video stream");
        upload("bad/no frames.mp4", TestVideos.noFrames(dir.resolve("no-frames.mp4")));
        reasons.put("bad/no frames.mp4", "");
        reasons.put("bad/deleted before processing.mp4", "object not found");

        for (Map.Entry<String, String> bad : reasons.entrySet()) {
            handler.handleRequest(SampleEvents.putEvent(bad.getKey()), null); // does not throw
        }

        assertThat(keys(STAGE)).isEmpty();
        assertThat(lambda.requests()).isEmpty();
        assertThat(keys(OUTPUT)).hasSize(2 * reasons.size());
        for (Map.Entry<String, String> bad : reasons.entrySet()) {
            String stem = bad.getKey().substring(0, bad.getKey().length() - 4);
            assertThat(text(OUTPUT, stem + ".txt")).isEqualTo("Error");
            JsonNode record = Json.MAPPER.readTree(text(OUTPUT, stem + ".json"));
            assertThat(record.get("outcome").asText()).isEqualTo("Error");
            assertThat(record.get("stage").asText()).isEqualTo("video-splitting");
            assertThat(record.get("source_key").asText()).isEqualTo(bad.getKey());
            assertThat(record.get("reason").asText()).isNotBlank().contains(bad.getValue());
        }
    }

    @Test
    void recordsThatAreNotUploadsOrAreMalformedAreSkippedAndTheOthersHandled() throws Exception {
        Path video = TestVideos.write(dir.resolve("good.mp4"), TestVideos.Spec.mp4FastStart(), 2, 0);
        upload("good.mp4", video);
        upload("removed.mp4", video);
        ObjectNode template = (ObjectNode) Json.MAPPER.readTree(SampleEvents.file("s3-put.json").toFile())
                .get("Records").get(0);
        ArrayNode records = Json.MAPPER.createArrayNode();
        records.add(template.deepCopy().without("s3"));
        records.add(edited(template, record -> ((ObjectNode) record.at("/s3/bucket")).remove("name")));
        records.add(edited(template, record -> ((ObjectNode) record.at("/s3/object")).remove("key")));
        records.add(edited(template, record -> ((ObjectNode) record.at("/s3/object")).put("key", "100%zz.mp4")));
        records.add(edited(template, record -> {
            record.put("eventName", "ObjectRemoved:Delete");
            ((ObjectNode) record.at("/s3/object")).put("key", "removed.mp4");
        }));
        records.add(edited(template, record -> ((ObjectNode) record.at("/s3/object")).put("key", "good.mp4")));
        S3Event event = SampleEvents.fromJson(Json.MAPPER.createObjectNode().set("Records", records).toString());

        handler.handleRequest(event, null); // does not throw: a retry would not mend any of them

        assertThat(keys(STAGE)).containsExactly("good.jpg");
        assertThat(keys(OUTPUT)).isEmpty();
        assertThat(lambda.requests()).hasSize(1);
    }

    @Test
    void anEventDeliveredAgainAfterTheVideoWasDeletedLeavesItsOutcome() throws Exception {
        String eTag = s3.putObject(b -> b.bucket(INPUT).key("gone.mp4"),
                RequestBody.fromString("not a video, refused at the first delivery\n".repeat(20))).eTag();
        S3Event event = SampleEvents.putEvent("gone.mp4", "00AA11BB22CC33DD44", eTag.replace("\"", ""));
        handler.handleRequest(event, null);
        String first = text(OUTPUT, "gone.json");
        assertThat(first).contains("cannot open as a video");

        s3.deleteObject(b -> b.bucket(INPUT).key("gone.mp4"));
        handler.handleRequest(event, null);

        assertThat(text(OUTPUT, "gone.json")).isEqualTo(first);
    }

    private static ObjectNode edited(ObjectNode template, java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode copy = template.deepCopy();
        edit.accept(copy);
        return copy;
    }

    @Test
    void decompressionBombsEachEndAsOneErrorOutcomeThatNamesTheLimit() throws Exception {
        Map<String, String> reasons = new java.util.LinkedHashMap<>();
        upload("bombs/12000.avi", BombVideos.mjpegAviLargerThanItsHeader(dir.resolve("12000.avi"), 640, 12000, 12000));
        reasons.put("bombs/12000.avi", "the decoded picture is 12000x12000, above the limit of 33177600 pixels");
        upload("bombs/wide.mov", BombVideos.movWithPixelAspect(dir.resolve("wide.mov"), 100000, 1));
        reasons.put("bombs/wide.mov", "the pixel aspect ratio 100000:1 is outside 1:10 to 10:1");

        for (String key : reasons.keySet()) {
            handler.handleRequest(SampleEvents.putEvent(key), null); // does not throw: a retry would refuse it again
        }

        assertThat(keys(STAGE)).isEmpty();
        assertThat(lambda.requests()).isEmpty();
        assertThat(keys(OUTPUT)).containsExactlyInAnyOrderElementsOf(reasons.keySet().stream()
                .flatMap(key -> Stream.of(ObjectKeys.outcomeKey(key), ObjectKeys.recordKey(key)))
                .toList());
        for (Map.Entry<String, String> bomb : reasons.entrySet()) {
            assertErrorOutcome(bomb.getKey(), bomb.getValue());
        }
    }

    @Test
    void anUnexpectedFailureWhileExtractingIsAnErrorOutcomeThatNamesTheStageNotARetry() throws Exception {
        // A real extractor whose JPEG quality ImageIO refuses: an IllegalArgumentException from inside extraction,
        // as the pixel aspect bomb once gave before the aspect ratio was bounded.
        FrameExtractor.Options unusableQuality = new FrameExtractor.Options(10, 12, 7680L * 4320L, 2.0f);
        Env env = new Env(environment());
        AwsSettings aws = AwsSettings.from(env);
        VideoSplittingHandler broken = new VideoSplittingHandler(new VideoSplitter(SplitterConfig.from(env),
                AwsClients.s3(aws), AwsClients.lambda(aws), new FrameExtractor(unusableQuality)));
        upload("test_4.mp4", SharedData.seedVideo("test_4.mp4"));

        broken.handleRequest(SampleEvents.putEvent("test_4.mp4"), null); // does not throw

        assertThat(keys(STAGE)).isEmpty();
        assertThat(lambda.requests()).isEmpty();
        assertThat(keys(OUTPUT)).containsExactlyInAnyOrder("test_4.txt", "test_4.json");
        assertErrorOutcome("test_4.mp4", "video-splitting failed while extracting the frame: "
                + "java.lang.IllegalArgumentException: Quality out of bounds!");
    }

    /** {@code <stem>.txt} says Error, and {@code <stem>.json} names the stage and exactly this reason. */
    private static void assertErrorOutcome(String key, String reason) throws IOException {
        assertThat(text(OUTPUT, ObjectKeys.outcomeKey(key))).isEqualTo("Error");
        JsonNode record = Json.MAPPER.readTree(text(OUTPUT, ObjectKeys.recordKey(key)));
        assertThat(record.get("outcome").asText()).isEqualTo("Error");
        assertThat(record.get("stage").asText()).isEqualTo("video-splitting");
        assertThat(record.get("source_key").asText()).isEqualTo(key);
        assertThat(record.get("reason").asText()).as(key).isEqualTo(reason);
    }

    @Test
    void anEventForAnotherBucketIsIgnored() throws Exception {
        upload("test_4.mp4", SharedData.seedVideo("test_4.mp4"));
        String json = Files.readString(SampleEvents.file("s3-put.json"))
                .replace("\"" + INPUT + "\"", "\"someone-elses-bucket\"");
        S3Event foreign = com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers
                .serializerFor(S3Event.class, getClass().getClassLoader())
                .fromJson(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(foreign.getRecords().get(0).getS3().getBucket().getName()).isEqualTo("someone-elses-bucket");

        handler.handleRequest(foreign, null);

        assertThat(keys(STAGE)).isEmpty();
        assertThat(keys(OUTPUT)).isEmpty();
        assertThat(lambda.requests()).isEmpty();
    }

    @Test
    void aFailingInvokeIsThrownSoThatLambdaRetries() throws Exception {
        upload("test_7.mp4", SharedData.seedVideo("test_7.mp4"));
        lambda.respondWith(503);

        assertThatThrownBy(() -> handler.handleRequest(SampleEvents.putEvent("test_7.mp4"), null))
                .isInstanceOf(TransientFailureException.class);
        assertThat(lambda.requests()).hasSizeGreaterThan(1); // the SDK retried before giving up
        assertThat(keys(OUTPUT)).isEmpty();

        lambda.respondWith(429);
        assertThatThrownBy(() -> handler.handleRequest(SampleEvents.putEvent("test_7.mp4"), null))
                .isInstanceOf(TransientFailureException.class);
    }

    @Test
    void aVideoThatCannotBeSplitInTheTimeLeftEndsAsAnErrorBeforeLambdaWouldKillIt() throws Exception {
        upload("slow/test_1.mp4", SharedData.seedVideo("test_1.mp4"));

        // Lambda says only the reserve for writing the outcome is left: no time to decode.
        handler.handleRequest(SampleEvents.putEvent("slow/test_1.mp4"), TestContext.withTimeLeft(Deadline.RESERVE));

        assertThat(keys(STAGE)).isEmpty();
        assertThat(lambda.requests()).isEmpty();
        assertThat(text(OUTPUT, "slow/test_1.txt")).isEqualTo("Error");
        assertThat(Json.MAPPER.readTree(text(OUTPUT, "slow/test_1.json")).get("reason").asText())
                .startsWith("stopped after 0 ms").contains("raise the function's Timeout");

        // With time enough, the same video is split.
        upload("slow/again.mp4", SharedData.seedVideo("test_1.mp4"));
        handler.handleRequest(SampleEvents.putEvent("slow/again.mp4"),
                TestContext.withTimeLeft(Duration.ofSeconds(30)));
        assertThat(keys(STAGE)).containsExactly("slow/again.jpg");
    }

    @Test
    void aKeyEndingLikeAnOutcomeIsRefusedAndItsErrorCannotReplaceAVideosOutcome() throws Exception {
        upload("clip.txt", SharedData.seedVideo("test_0.mp4")); // even a real video

        handler.handleRequest(SampleEvents.putEvent("clip.txt"), null);

        assertThat(keys(STAGE)).isEmpty();
        assertThat(lambda.requests()).isEmpty();
        assertThat(keys(OUTPUT)).containsExactlyInAnyOrder("clip.txt.txt", "clip.txt.json");
        assertThat(text(OUTPUT, "clip.txt.txt")).isEqualTo("Error");
        assertThat(Json.MAPPER.readTree(text(OUTPUT, "clip.txt.json")).get("reason").asText())
                .contains("ends like the pipeline's outcomes");
    }

    @Test
    void aBadConfigurationNamesTheVariable() {
        Map<String, String> env = environment();
        env.remove("STAGE_BUCKET");
        assertThatThrownBy(() -> VideoSplitter.fromEnvironment(new Env(env)))
                .isInstanceOf(ConfigException.class).hasMessage("STAGE_BUCKET is not set");
        env.put("STAGE_BUCKET", STAGE);
        env.put("FACE_RECOGNITION_FUNCTION", "not a function!");
        assertThatThrownBy(() -> VideoSplitter.fromEnvironment(new Env(env)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("FACE_RECOGNITION_FUNCTION");
        env.put("FACE_RECOGNITION_FUNCTION", FUNCTION);
        env.put("INPUT_BUCKET", OUTPUT);
        assertThatThrownBy(() -> VideoSplitter.fromEnvironment(new Env(env)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("INPUT_BUCKET must differ from STAGE_BUCKET and OUTPUT_BUCKET, got 'faas-output' for both");
    }

    @Test
    void keyframesStoresEveryFrameAndListsThemInOneInvoke() throws Exception {
        upload("clips/five.mp4", TestVideos.write(dir.resolve("five.mp4"), TestVideos.Spec.mp4FastStart(), 5, 0));

        keyframesHandler.handleRequest(SampleEvents.putEvent("clips/five.mp4"), null);

        List<String> later = List.of("clips/five.frames/000001.000.jpeg", "clips/five.frames/000002.000.jpeg",
                "clips/five.frames/000003.000.jpeg", "clips/five.frames/000004.000.jpeg");
        assertThat(keys(STAGE)).containsExactlyInAnyOrderElementsOf(
                Stream.concat(Stream.of("clips/five.jpg"), later.stream()).toList());
        for (String key : later) {
            ResponseBytes<GetObjectResponse> frame = s3.getObjectAsBytes(b -> b.bucket(STAGE).key(key));
            assertThat(frame.response().contentType()).isEqualTo("image/jpeg");
            assertThat(frame.response().metadata()).containsEntry("source-key", "clips%2Ffive.mp4")
                    .containsEntry("source-bucket", INPUT).containsKey("source-etag").containsKey("frame-time");
            assertThat(ImageIO.read(frame.asInputStream()).getWidth()).isEqualTo(TestVideos.WIDTH);
        }
        assertThat(lambda.requests()).hasSize(1);
        WireLambdaEndpoint.Request invoke = lambda.requests().get(0);
        assertThat(invoke.header("X-Amz-Invocation-Type")).isEqualTo("Event");
        JsonNode body = Json.MAPPER.readTree(invoke.body());
        // The original two fields name the first frame, as before.
        assertThat(body.get("bucket_name").asText()).isEqualTo(STAGE);
        assertThat(body.get("image_file_name").asText()).isEqualTo("clips/five.jpg");
        assertThat(body.get("complete").asBoolean()).isTrue();
        assertThat(body.get("frames")).hasSize(5);
        assertThat(body.get("frames").get(0).get("key").asText()).isEqualTo("clips/five.jpg");
        for (int i = 1; i < 5; i++) {
            assertThat(body.get("frames").get(i).get("key").asText()).isEqualTo(later.get(i - 1));
            assertThat(body.get("frames").get(i).get("seconds").asDouble()).isEqualTo(i);
        }
        assertThat(invoke.body().length()).isLessThan(1024);
        assertThat(keys(OUTPUT)).isEmpty();
    }

    @Test
    void keyframesSamplesAgainForAnEventDeliveredAgainAndHandsOverTheSameFrames() throws Exception {
        upload("again.mp4", TestVideos.write(dir.resolve("again.mp4"), TestVideos.Spec.mp4FastStart(), 3, 0));

        keyframesHandler.handleRequest(SampleEvents.putEvent("again.mp4"), null);
        keyframesHandler.handleRequest(SampleEvents.putEvent("again.mp4"), null);

        assertThat(lambda.requests()).hasSize(2);
        assertThat(Json.MAPPER.readTree(lambda.requests().get(1).body()).get("frames"))
                .isEqualTo(Json.MAPPER.readTree(lambda.requests().get(0).body()).get("frames"));
        assertThat(keys(STAGE)).hasSize(3);
    }

    @Test
    void keyframesHandsOverWhatItHasWhenTheTimeRunsShort() throws Exception {
        upload("long.mp4", TestVideos.write(dir.resolve("long.mp4"), TestVideos.Spec.mp4FastStart(), 6, 0));

        // 5 s left: 2 s once Lambda's reserve is kept back, none once the hand-over's is too.
        keyframesHandler.handleRequest(SampleEvents.putEvent("long.mp4"), TestContext.withTimeLeft(Duration.ofSeconds(5)));

        assertThat(lambda.requests()).hasSize(1);
        JsonNode body = Json.MAPPER.readTree(lambda.requests().get(0).body());
        assertThat(body.get("frames")).hasSize(1);
        assertThat(body.get("complete").asBoolean()).isFalse();
        assertThat(body.get("incomplete_reason").asText()).startsWith("the time ran out after 1 frames, at");
        assertThat(keys(OUTPUT)).isEmpty();
    }

    @Test
    void badFrameSettingsNameTheVariable() {
        Map<String, String> env = environment();
        env.put("FRAMES", "all");
        assertThatThrownBy(() -> VideoSplitter.fromEnvironment(new Env(env))).isInstanceOf(ConfigException.class)
                .hasMessage("FRAMES must be 'first' or 'keyframes', got 'all'");
        env.put("FRAMES", "keyframes");
        env.put("MAX_FRAMES", "5000");
        assertThatThrownBy(() -> VideoSplitter.fromEnvironment(new Env(env))).isInstanceOf(ConfigException.class)
                .hasMessage("MAX_FRAMES must be at most 1000, got '5000'");
        env.put("MAX_FRAMES", "10");
        env.put("FRAME_INTERVAL_SECONDS", "0");
        assertThatThrownBy(() -> VideoSplitter.fromEnvironment(new Env(env))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("FRAME_INTERVAL_SECONDS must be a positive number");
    }

    @Test
    void metricsTellTheColdStartTheFramesOfAVideoEachStagesTimeAndEachErrorOutcome() throws Exception {
        Map<String, String> variables = environment();
        variables.put("FRAMES", "keyframes");
        Env env = new Env(variables);
        AwsSettings aws = AwsSettings.from(env);
        VideoSplittingHandler measured = new VideoSplittingHandler(new VideoSplitter(SplitterConfig.from(env),
                AwsClients.s3(aws), AwsClients.lambda(aws), new FrameExtractor(),
                captured.metrics(VideoSplitter.STAGE)));
        upload("clips/five.mp4", TestVideos.write(dir.resolve("metrics-five.mp4"), TestVideos.Spec.mp4FastStart(), 5,
                0));
        upload("not-a-video.mp4", "no video here".getBytes(StandardCharsets.UTF_8));

        measured.handleRequest(SampleEvents.putEvent("clips/five.mp4"), null);
        measured.handleRequest(SampleEvents.putEvent("not-a-video.mp4"), null);

        assertThat(captured.values("ColdStart")).as("the first invocation only").containsExactly(1.0);
        assertThat(captured.values("FramesPerVideo")).containsExactly(5.0);
        List<Double> times = List.of("OpenDecodeTime", "JpegTime", "TotalTime").stream()
                .map(name -> captured.values(name).get(0)).toList();
        assertThat(times).allSatisfy(ms -> assertThat(ms).isPositive());
        assertThat(times.get(2)).as("the whole video's time holds its stages'").isGreaterThan(times.get(0) + times.get(1));
        assertThat(captured.documentsOf("TotalTime").get(0).at("/_aws/CloudWatchMetrics/0/Metrics/2/Unit").asText())
                .isEqualTo("Milliseconds");
        // Only the refused video has an outcome here: the other's is the recogniser's to write.
        assertThat(captured.values("Outcomes")).containsExactly(1.0);
        JsonNode outcome = captured.documentsOf("Outcomes").get(0);
        assertThat(outcome.path("Outcome").asText()).isEqualTo("Error");
        assertThat(outcome.path("Stage").asText()).isEqualTo("video-splitting");
        assertThat(text(OUTPUT, "not-a-video.txt")).isEqualTo("Error");
    }

    @Test
    void aBadMetricsSettingFailsTheInitNamingTheVariable() {
        Map<String, String> env = environment();
        env.put("METRICS_NAMESPACE", "AWS/Lambda");
        env.put("METRICS_SERVICE", "faas");
        assertThatThrownBy(() -> VideoSplitter.fromEnvironment(new Env(env)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("METRICS_NAMESPACE must be");
        env.remove("METRICS_NAMESPACE");
        assertThatThrownBy(() -> VideoSplitter.fromEnvironment(new Env(env)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("METRICS_SERVICE is set");
    }
}
