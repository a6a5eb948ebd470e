package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.RecognitionFixture.OUTPUT;
import static dev.facerec.recognition.lambda.RecognitionFixture.STAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.testing.SharedData;
import dev.facerec.splitter.lambda.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keys a hostile or careless uploader can give a video, through both functions on S3Mock: each video ends as one
 * outcome under a key that is safe to use (see {@link ObjectKeys}), and its record keeps the key as uploaded.
 */
class HostileKeysTest {
    static final String INPUT = SampleEvents.INPUT_BUCKET;

    @RegisterExtension
    static final S3MockExtension S3_MOCK = RecognitionFixture.s3Mock();


    static RecognitionFixture.Deployment pipeline;

    @BeforeAll
    static void deploy() {
        pipeline = RecognitionFixture.Deployment.direct(S3_MOCK);
    }

    @BeforeEach
    void clean() {
        pipeline.lambda().clear();
        for (String bucket : List.of(INPUT, STAGE, OUTPUT)) {
            for (S3Object object : pipeline.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                pipeline.s3().deleteObject(b -> b.bucket(bucket).key(object.key()));
            }
        }
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void aKeyWithNewlinesIsNamedUnderACleanedKey() throws Exception {
        String key = "inbox/line one\nline two\r.mp4";
        upload(key, "test_0.mp4");

        runPipeline(key);

        assertThat(outputKeys()).singleElement().asString().matches("inbox/line one_line two_~[0-9a-f]{16}")
                .doesNotContain("\n", "\r");
        assertThat(outcome(key)).isEqualTo("Trump");
        assertThat(record(key).get("source_key").asText()).isEqualTo(key);
    }

    @Test
    void aKeyOfS3sFullLengthIsNamedUnderAShortenedKey() throws Exception {
        String key = "é".repeat(509) + "xy.mp4";
        assertThat(key.getBytes(StandardCharsets.UTF_8)).hasSize(ObjectKeys.MAX_KEY_BYTES);
        upload(key, "test_4.mp4");

        runPipeline(key);

        assertThat(outcome(key)).isEqualTo("Depp");
        assertThat(record(key).get("source_key").asText()).isEqualTo(key);
        assertThat(outputKeys()).singleElement().asString().endsWith("~" + ObjectKeys.stem(key).split("~")[1]);
    }

    @Test
    void aKeyThatClimbsOutOfItsFolderEndsAsAnErrorUnderACleanedKey() throws Exception {
        // S3 takes such a key; S3Mock refuses to store one, so the event finds no object, as after a delete.
        String key = "../../etc/passwd.mp4";

        pipeline.splitter().handleRequest(SampleEvents.putEvent(key), null);

        assertThat(pipeline.lambda().requests()).isEmpty();
        assertThat(outputKeys()).singleElement().asString().matches("__/__/etc/passwd~[0-9a-f]{16}");
        assertThat(outcome(key)).isEqualTo("Error");
        assertThat(record(key).get("source_key").asText()).isEqualTo(key);
        assertThat(record(key).get("reason").asText()).isNotBlank();
    }

    @Test
    void aTextFileNamedAsAnOutcomeEndsAsAnErrorBesideNoVideosOutcome() throws Exception {
        upload("notes.mp4", "test_0.mp4");
        runPipeline("notes.mp4");
        pipeline.s3().putObject(b -> b.bucket(INPUT).key("notes.txt"), RequestBody.fromString("Trump"));

        pipeline.splitter().handleRequest(SampleEvents.putEvent("notes.txt"), null);

        assertThat(outcome("notes.mp4")).as("the video's outcome, untouched").isEqualTo("Trump");
        assertThat(outcome("notes.txt")).isEqualTo("Error");
        assertThat(outputKeys()).containsExactlyInAnyOrder("notes", "notes.txt");
    }

    private static void upload(String key, String courseVideo) {
        pipeline.s3().putObject(b -> b.bucket(INPUT).key(key), RequestBody.fromFile(SharedData.seedVideo(courseVideo)));
    }

    /** The splitter on the S3 event, then the recogniser on the invoke it sent. */
    private static void runPipeline(String key) {
        pipeline.lambda().clear();
        pipeline.splitter().handleRequest(SampleEvents.putEvent(key), null);
        assertThat(pipeline.lambda().requests()).as("async invokes for %s", key).hasSize(1);
        String invoke = pipeline.lambda().requests().get(0).body();
        pipeline.recognizer().handleRequest(RecognitionFixture.message(invoke), null);
    }

    /** The stems in the output bucket: each must have both its .txt and its .json. */
    private static List<String> outputKeys() {
        List<String> keys = pipeline.s3().listObjectsV2Paginator(b -> b.bucket(OUTPUT)).contents().stream()
                .map(S3Object::key)
                .sorted().toList();
        List<String> stems = keys.stream().filter(k -> k.endsWith(".txt")).map(k -> k.substring(0, k.length() - 4))
                .toList();
        assertThat(keys).as("a .txt and a .json per outcome")
                .hasSameElementsAs(stems.stream().flatMap(s -> List.of(s + ".txt", s + ".json").stream()).toList());
        return stems;
    }

    private static String outcome(String videoKey) {
        return pipeline.s3().getObjectAsBytes(b -> b.bucket(OUTPUT).key(ObjectKeys.outcomeKey(videoKey)))
                .asUtf8String();
    }

    private static JsonNode record(String videoKey) throws Exception {
        return Json.MAPPER.readTree(pipeline.s3().getObjectAsBytes(b -> b.bucket(OUTPUT)
                .key(ObjectKeys.recordKey(videoKey))).asUtf8String());
    }
}
