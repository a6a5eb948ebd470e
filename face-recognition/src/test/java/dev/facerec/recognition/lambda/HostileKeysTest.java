package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.PipelineExtension.INPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.testing.SharedData;
import dev.facerec.splitter.lambda.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keys a hostile or careless uploader can give a video, through both functions on S3Mock: each video ends as one
 * outcome under a key that is safe to use (see {@link ObjectKeys}), and its record keeps the key as uploaded.
 */
class HostileKeysTest {
    @RegisterExtension
    static final PipelineExtension PIPELINE = PipelineExtension.withSeedGallery();

    @Test
    void aKeyWithNewlinesIsNamedUnderACleanedKey() throws Exception {
        String key = "inbox/line one\nline two\r.mp4";
        upload(key, "test_0.mp4");

        PIPELINE.runPipeline(key);

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

        PIPELINE.runPipeline(key);

        assertThat(outcome(key)).isEqualTo("Depp");
        assertThat(record(key).get("source_key").asText()).isEqualTo(key);
        assertThat(outputKeys()).singleElement().asString().endsWith("~" + ObjectKeys.stem(key).split("~")[1]);
    }

    @Test
    void aKeyThatClimbsOutOfItsFolderEndsAsAnErrorUnderACleanedKey() throws Exception {
        // S3 takes such a key; S3Mock refuses to store one, so the event finds no object, as after a delete.
        String key = "../../etc/passwd.mp4";

        PIPELINE.splitter().handleRequest(SampleEvents.putEvent(key), null);

        assertThat(PIPELINE.lambda().requests()).isEmpty();
        assertThat(outputKeys()).singleElement().asString().matches("__/__/etc/passwd~[0-9a-f]{16}");
        assertThat(outcome(key)).isEqualTo("Error");
        assertThat(record(key).get("source_key").asText()).isEqualTo(key);
        assertThat(record(key).get("reason").asText()).isNotBlank();
    }

    @Test
    void aTextFileNamedAsAnOutcomeEndsAsAnErrorBesideNoVideosOutcome() throws Exception {
        upload("notes.mp4", "test_0.mp4");
        PIPELINE.runPipeline("notes.mp4");
        PIPELINE.s3().putObject(b -> b.bucket(INPUT).key("notes.txt"), RequestBody.fromString("Trump"));

        PIPELINE.splitter().handleRequest(SampleEvents.putEvent("notes.txt"), null);

        assertThat(outcome("notes.mp4")).as("the video's outcome, untouched").isEqualTo("Trump");
        assertThat(outcome("notes.txt")).isEqualTo("Error");
        assertThat(outputKeys()).containsExactlyInAnyOrder("notes", "notes.txt");
    }

    private static void upload(String key, String courseVideo) {
        PIPELINE.s3().putObject(b -> b.bucket(INPUT).key(key), RequestBody.fromFile(SharedData.seedVideo(courseVideo)));
    }

    /** The stems in the output bucket: each must have both its .txt and its .json. */
    private static List<String> outputKeys() {
        List<String> keys = PIPELINE.s3().listObjectsV2Paginator(b -> b.bucket(OUTPUT)).contents().stream()
                .map(S3Object::key)
                .sorted().toList();
        List<String> stems = keys.stream().filter(k -> k.endsWith(".txt")).map(k -> k.substring(0, k.length() - 4))
                .toList();
        assertThat(keys).as("a .txt and a .json per outcome")
                .hasSameElementsAs(stems.stream().flatMap(s -> List.of(s + ".txt", s + ".json").stream()).toList());
        return stems;
    }

    private static String outcome(String videoKey) {
        return PIPELINE.s3().getObjectAsBytes(b -> b.bucket(OUTPUT).key(ObjectKeys.outcomeKey(videoKey)))
                .asUtf8String();
    }

    private static JsonNode record(String videoKey) throws Exception {
        return Json.MAPPER.readTree(PIPELINE.s3().getObjectAsBytes(b -> b.bucket(OUTPUT)
                .key(ObjectKeys.recordKey(videoKey))).asUtf8String());
    }
}
