package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.PipelineExtension.GALLERIES;
import static dev.facerec.recognition.lambda.PipelineExtension.INPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.OUTPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.STAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.ConfigException;
import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import dev.facerec.common.Json;
import dev.facerec.common.metrics.EmfMetrics;
import dev.facerec.common.testing.CapturedMetrics;
import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.Recognizer;
import dev.facerec.recognition.SampleFaces;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.Matcher;
import dev.facerec.recognition.gallery.GalleryJson;
import dev.facerec.splitter.core.TestVideos;
import dev.facerec.splitter.lambda.TestContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The face-recognition handler on real parts: S3Mock over HTTP, the real networks. The deployed handler has the
 * sample gallery (one person from a photo the jar bundles), so that what no gallery decides is tested without
 * {@code ../shared}; the tests of names build a handler with the seed gallery.
 */
class FaceRecognitionHandlerTest {
    @RegisterExtension
    static final PipelineExtension PIPELINE = PipelineExtension.withSampleGallery();

    @TempDir
    static Path dir;

    @RegisterExtension
    final CapturedMetrics captured = new CapturedMetrics();

    static Map<String, String> environment(String galleryUri) {
        Map<String, String> env = PIPELINE.environment();
        env.put("GALLERY_URI", galleryUri);
        return env;
    }

    /** The function as deployed with another GALLERY_URI. */
    static FaceRecognitionHandler handlerWith(String galleryUri) {
        return new FaceRecognitionHandler(FaceRecognitionService.fromEnvironment(new Env(environment(galleryUri))));
    }

    static void putGallery(String key, byte[] json) {
        PIPELINE.s3().putObject(b -> b.bucket(GALLERIES).key(key), RequestBody.fromBytes(json));
    }

    /** {@code bytes} as the splitter's frame of {@code videoKey}. */
    static void putFrame(String videoKey, byte[] bytes) {
        RecognitionFixture.stageFrame(PIPELINE.s3(), STAGE, INPUT, videoKey, bytes);
    }

    static Map<String, Object> messageFor(String videoKey) {
        return RecognitionFixture.message(RecognitionFixture.courseMessage(STAGE, videoKey));
    }

    static String text(String key) {
        return PIPELINE.s3().getObjectAsBytes(b -> b.bucket(OUTPUT).key(key)).asUtf8String();
    }

    static JsonNode record(String key) throws Exception {
        return Json.MAPPER.readTree(text(key));
    }

    @Test
    void theSampleStageMessageNamesThePerson() throws Exception {
        putGallery("seed.json", GalleryJson.write(RecognitionFixture.seedGallery()));
        putFrame("test_0.mp4", RecognitionFixture.frameOf(SharedData.seedVideo("test_0.mp4")));
        Map<String, Object> sample = RecognitionFixture.message(
                Files.readString(SharedData.projectRoot().resolve("samples/events/stage-message.json")));

        handlerWith("s3://" + GALLERIES + "/seed.json").handleRequest(sample, null);

        assertThat(text("test_0.txt")).isEqualTo("Trump"); // the whole content: no newline
        JsonNode record = record("test_0.json");
        assertThat(record.get("outcome").asText()).isEqualTo("Trump");
        assertThat(record.get("frame_key").asText()).isEqualTo("test_0.jpg");
        assertThat(record.get("source_key").asText()).isEqualTo("test_0.mp4");
        assertThat(record.get("model").asText()).isEqualTo(Gallery.MODEL);
        JsonNode face = record.get("faces").get(0);
        assertThat(face.get("match").asText()).isEqualTo("Trump");
        assertThat(face.get("matched").asBoolean()).isTrue();
        assertThat(face.get("primary").asBoolean()).isTrue();
        assertThat(face.get("distance").asDouble()).isLessThan(Matcher.DEFAULT_THRESHOLD);
        assertThat(face.get("similarity").asDouble()).isEqualTo(1 - face.get("distance").asDouble() / 2, within(1e-9));
        assertThat(face.get("runner_up_distance").asDouble()).isGreaterThan(face.get("distance").asDouble());
        assertThat(face.get("landmarks")).hasSize(68);
        assertThat(record.get("timings_ms").get("descriptor").asDouble()).isPositive();
    }

    @Test
    void aVideoOfTheEnrolledPersonAndTwoStrangersIsNamedThroughBothFunctions() throws Exception {
        Path video = SampleFaces.video(dir.resolve("group.mp4"), SampleFaces.ENROLLED_PHOTO, 0.5);
        PIPELINE.s3().putObject(b -> b.bucket(INPUT).key("group.mp4"), RequestBody.fromFile(video));

        PIPELINE.runPipeline("group.mp4");

        assertThat(text("group.txt")).isEqualTo(SampleFaces.ENROLLED);
        JsonNode faces = record("group.json").get("faces");
        assertThat(faces).hasSize(3);
        assertThat(faces).filteredOn(face -> face.get("matched").asBoolean()).singleElement()
                .satisfies(face -> assertThat(face.get("match").asText()).isEqualTo(SampleFaces.ENROLLED));
    }

    @Test
    void aFrameWithoutFacesIsNoFace() throws Exception {
        Path video = TestVideos.write(dir.resolve("pattern.mp4"), TestVideos.Spec.mp4FastStart(), 1, 0);
        putFrame("pattern.mp4", RecognitionFixture.frameOf(video));

        PIPELINE.recognizer().handleRequest(messageFor("pattern.mp4"), null);

        assertThat(text("pattern.txt")).isEqualTo("NoFace");
        assertThat(record("pattern.json").get("faces")).isEmpty();
    }

    @Test
    void aPersonNotEnrolledIsUnknown() throws Exception {
        Path gallery = Files.write(dir.resolve("without-bean.json"),
                GalleryJson.write(RecognitionFixture.seedGalleryWithout("Bean")));
        FaceRecognitionHandler withoutBean = handlerWith(gallery.toString());
        putFrame("unknown/test_2.mp4", RecognitionFixture.frameOf(SharedData.seedVideo("test_2.mp4")));

        withoutBean.handleRequest(messageFor("unknown/test_2.mp4"), null);

        assertThat(text("unknown/test_2.txt")).isEqualTo("Unknown");
        JsonNode face = record("unknown/test_2.json").get("faces").get(0);
        assertThat(face.get("matched").asBoolean()).isFalse();
        assertThat(face.get("distance").asDouble()).isGreaterThan(Matcher.DEFAULT_THRESHOLD);
    }

    @Test
    void aBrokenImageIsAnErrorWithItsReason() throws Exception {
        putFrame("broken.mp4", "this is not a JPEG at all".getBytes(StandardCharsets.UTF_8));
        PIPELINE.recognizer().handleRequest(messageFor("broken.mp4"), null);

        assertThat(text("broken.txt")).isEqualTo("Error");
        JsonNode record = record("broken.json");
        assertThat(record.get("stage").asText()).isEqualTo("face-recognition");
        assertThat(record.get("reason").asText()).startsWith("the frame is not a usable image");
    }

    @Test
    void anAbsurdlyLargeImageIsRefusedBeforeDecoding() throws Exception {
        putFrame("bomb.mp4", pngHeader(100_000, 100_000));
        PIPELINE.recognizer().handleRequest(messageFor("bomb.mp4"), null);

        assertThat(text("bomb.txt")).isEqualTo("Error");
        assertThat(record("bomb.json").get("reason").asText()).contains("100000x100000, above the limit");
    }

    @Test
    void aMessageWithoutItsFieldsIsRefusedWithoutThrowing() {
        PIPELINE.recognizer().handleRequest(RecognitionFixture.message("{\"bucket_name\":\"" + STAGE + "\"}"), null);
        assertThat(PIPELINE.s3().listObjectsV2(b -> b.bucket(OUTPUT).prefix("null")).contents()).isEmpty();
    }

    @Test
    void aChangedGalleryIsNoticedWithoutARedeploy() throws Exception {
        try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
            putGallery("changing.json", GalleryJson.write(RecognitionFixture.seedGalleryWithout("Depp")));
            MutableClock clock = new MutableClock();
            RecognitionConfig config = RecognitionConfig.from(new Env(environment("s3://" + GALLERIES
                    + "/changing.json")));
            FaceRecognitionService service = new FaceRecognitionService(config, PIPELINE.s3(), new Recognizer(analyzer),
                    new GalleryCache(config.gallery(), PIPELINE.s3(), Duration.ofSeconds(30), clock));
            putFrame("changing/test_4.mp4", RecognitionFixture.frameOf(SharedData.seedVideo("test_4.mp4")));

            new FaceRecognitionHandler(service).handleRequest(messageFor("changing/test_4.mp4"), null);
            assertThat(text("changing/test_4.txt")).isEqualTo("Unknown");

            putGallery("changing.json", GalleryJson.write(RecognitionFixture.seedGallery()));
            clock.advance(Duration.ofSeconds(10));
            new FaceRecognitionHandler(service).handleRequest(messageFor("changing/test_4.mp4"), null);
            assertThat(text("changing/test_4.txt")).as("within the refresh interval").isEqualTo("Unknown");

            clock.advance(Duration.ofSeconds(31));
            new FaceRecognitionHandler(service).handleRequest(messageFor("changing/test_4.mp4"), null);
            assertThat(text("changing/test_4.txt")).isEqualTo("Depp");
        }
    }

    @Test
    void aGalleryOfAnotherModelGivesErrorsNeverNames() throws Exception {
        String foreign = new String(GalleryJson.write(RecognitionFixture.seedGallery()), StandardCharsets.UTF_8)
                .replace(Gallery.MODEL, "facenet-512@somewhere");
        putGallery("foreign.json", foreign.getBytes(StandardCharsets.UTF_8));
        FaceRecognitionHandler foreignHandler = handlerWith("s3://" + GALLERIES + "/foreign.json");
        putFrame("foreign/test_8.mp4", RecognitionFixture.frameOf(SharedData.seedVideo("test_8.mp4")));

        foreignHandler.handleRequest(messageFor("foreign/test_8.mp4"), null);

        assertThat(text("foreign/test_8.txt")).isEqualTo("Error");
        assertThat(record("foreign/test_8.json").get("reason").asText())
                .contains("was made by model 'facenet-512@somewhere'");
    }

    @Test
    void aMissingGalleryGivesErrorsUntilItIsUploadedThenNames() throws Exception {
        FaceRecognitionHandler withoutGallery = handlerWith("s3://" + GALLERIES + "/later.json"); // init does not fail
        putFrame("later/test_8.mp4", RecognitionFixture.frameOf(SharedData.seedVideo("test_8.mp4")));

        withoutGallery.handleRequest(messageFor("later/test_8.mp4"), null);

        assertThat(text("later/test_8.txt")).isEqualTo("Error");
        assertThat(record("later/test_8.json").get("reason").asText())
                .isEqualTo("gallery s3://" + GALLERIES + "/later.json not found");

        // With no gallery loaded, every invocation looks again: enrolling fixes it without a redeploy.
        putGallery("later.json", GalleryJson.write(RecognitionFixture.seedGallery()));
        withoutGallery.handleRequest(messageFor("later/test_8.mp4"), null);
        assertThat(text("later/test_8.txt")).isEqualTo("Obama");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"format_version\": 1, \"model\": |is not a readable gallery file",
        "not json at all|is not a readable gallery file",
        "{}|has no people",
        "{\"format_version\": 7, \"people\": []}|has format version 7"})
    void aCorruptGalleryGivesErrorsWithTheReasonNeverNames(String content, String reason) throws Exception {
        String key = "corrupt-" + Integer.toHexString(content.hashCode()) + ".json";
        putGallery(key, content.getBytes(StandardCharsets.UTF_8));
        FaceRecognitionHandler corrupt = handlerWith("s3://" + GALLERIES + "/" + key);
        String video = "corrupt/" + key.replace(".json", ".mp4");
        putFrame(video, RecognitionFixture.frameOf(SharedData.seedVideo("test_0.mp4")));

        corrupt.handleRequest(messageFor(video), null);

        String stem = video.replace(".mp4", "");
        assertThat(text(stem + ".txt")).isEqualTo("Error");
        assertThat(record(stem + ".json").get("reason").asText())
                .startsWith("gallery s3://" + GALLERIES + "/" + key).contains(reason);
    }

    @Test
    void aFrameThatCannotBeRecognisedInTheTimeLeftEndsAsAnError() throws Exception {
        putFrame("late/test_0.mp4", RecognitionFixture.frameOf(SharedData.seedVideo("test_0.mp4")));

        PIPELINE.recognizer().handleRequest(messageFor("late/test_0.mp4"), TestContext.withTimeLeft(Deadline.RESERVE));

        assertThat(text("late/test_0.txt")).isEqualTo("Error");
        assertThat(record("late/test_0.json").get("reason").asText()).startsWith("stopped after 0 ms");
    }

    @Test
    void aBadConfigurationNamesTheVariable() {
        Map<String, String> env = environment("s3://" + GALLERIES + "/gallery.json");
        env.remove("GALLERY_URI");
        assertThatThrownBy(() -> RecognitionConfig.from(new Env(env))).isInstanceOf(ConfigException.class)
                .hasMessage("GALLERY_URI is not set");
        env.put("GALLERY_URI", "s3://no-key");
        assertThatThrownBy(() -> RecognitionConfig.from(new Env(env))).hasMessageStartingWith("GALLERY_URI must be");
        env.put("GALLERY_URI", "/tmp/g.json");
        env.put("MATCH_THRESHOLD", "abc");
        assertThatThrownBy(() -> RecognitionConfig.from(new Env(env))).hasMessageStartingWith("MATCH_THRESHOLD");
        env.put("MATCH_THRESHOLD", "0.5");
        env.put("FACE_DETECTOR", "mtcnn");
        assertThatThrownBy(() -> RecognitionConfig.from(new Env(env))).hasMessageStartingWith("FACE_DETECTOR");
        // The function's image has no OpenCV (its natives need GTK 2, which Lambda's base image lacks).
        env.put("FACE_DETECTOR", "haar");
        assertThatThrownBy(() -> RecognitionConfig.from(new Env(env)))
                .hasMessageStartingWith("FACE_DETECTOR 'haar' runs in the faas command only");
        env.put("FACE_DETECTOR", "tiny");
        env.remove("INPUT_BUCKET");
        assertThatThrownBy(() -> RecognitionConfig.from(new Env(env))).hasMessage("INPUT_BUCKET is not set");
        env.put("INPUT_BUCKET", INPUT);
        env.put("STAGE_BUCKET", "Stage_1");
        assertThatThrownBy(() -> RecognitionConfig.from(new Env(env)))
                .hasMessage("STAGE_BUCKET is not a valid S3 bucket name: 'Stage_1'");
    }

    @Test
    void metricsTellTheColdStartEachOutcomeByKindTheFacesInEachFrameAndEachStagesTime() throws Exception {
        try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
            RecognitionConfig config = RecognitionConfig.from(new Env(environment(PipelineExtension.GALLERY_URI)));
            FaceRecognitionHandler measured = new FaceRecognitionHandler(new FaceRecognitionService(config,
                    PIPELINE.s3(), new Recognizer(analyzer), new GalleryCache(config.gallery(), PIPELINE.s3(),
                    Duration.ofSeconds(30), Clock.systemUTC()), captured.metrics(FaceRecognitionService.STAGE)));
            putFrame("metrics/group.mp4", RecognitionFixture.frameOf(
                    SampleFaces.video(dir.resolve("metrics-group.mp4"), SampleFaces.ENROLLED_PHOTO, 0.5)));
            putFrame("metrics/pattern.mp4", RecognitionFixture.frameOf(
                    TestVideos.write(dir.resolve("metrics-pattern.mp4"), TestVideos.Spec.mp4FastStart(), 1, 0)));
            putFrame("metrics/broken.mp4", "this is not a JPEG at all".getBytes(StandardCharsets.UTF_8));

            for (String video : List.of("metrics/group.mp4", "metrics/pattern.mp4", "metrics/broken.mp4")) {
                measured.handleRequest(messageFor(video), null);
            }

            assertThat(captured.values("ColdStart")).as("the first invocation only").containsExactly(1.0);
            assertThat(text("metrics/group.txt")).isEqualTo(SampleFaces.ENROLLED);
            assertThat(captured.documentsOf("Outcomes")).extracting(document -> document.path("Outcome").asText())
                    .containsExactly(EmfMetrics.NAMED, "NoFace", "Error");
            assertThat(captured.documentsOf("Outcomes")).allSatisfy(document ->
                    assertThat(document.path("Stage").asText()).isEqualTo("face-recognition"));
            // The enrolled person and two strangers, then the pattern's none; the broken frame has no faces to count.
            assertThat(captured.values("FacesPerFrame")).containsExactly(3.0, 0.0);
            for (String stage : List.of("FetchTime", "DecodeTime", "DetectTime", "LandmarksTime", "DescriptorTime",
                    "MatchTime", "TotalTime")) {
                assertThat(captured.values(stage)).as(stage).hasSize(2).allSatisfy(ms ->
                        assertThat(ms).isNotNegative());
            }
            assertThat(captured.values("DetectTime")).allSatisfy(ms -> assertThat(ms).isPositive());
            assertThat(captured.values("DescriptorTime").get(0)).as("three faces described").isPositive();
        }
    }

    @Test
    void aBadMetricsSettingFailsTheInitNamingTheVariable() {
        Map<String, String> env = environment(PipelineExtension.GALLERY_URI);
        env.put("METRICS_NAMESPACE", "Faas");
        assertThatThrownBy(() -> FaceRecognitionService.fromEnvironment(new Env(env)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("METRICS_SERVICE is not set");
    }

    /** A PNG of nothing but a header that claims {@code width x height} pixels. */
    static byte[] pngHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-28T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
