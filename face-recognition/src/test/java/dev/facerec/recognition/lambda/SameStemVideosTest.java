package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.PipelineExtension.STAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.common.Outcome;
import dev.facerec.recognition.SampleFaces;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Two videos whose names differ only in the extension, uploaded together, through both functions on S3Mock: each has
 * its own frame and its own outcome, the {@code .mp4} under the course's {@code <stem>.txt}. The sample gallery names
 * one and not the other, so an outcome written from the wrong frame shows.
 */
class SameStemVideosTest {
    @RegisterExtension
    static final PipelineExtension PIPELINE = PipelineExtension.withSampleGallery().throughFaultyProxy(3L);

    @TempDir
    static Path dir;

    @Test
    void anMp4AndAMovOfOneStemUploadedTogetherEachEndWithTheirOwnOutcome() throws Exception {
        PIPELINE.upload("dup.mp4", SampleFaces.video(dir.resolve("named.mp4"), SampleFaces.ENROLLED_PHOTO, 2.0 / 3));
        PIPELINE.upload("dup.mov", SampleFaces.video(dir.resolve("strangers.mp4"), SampleFaces.STRANGERS_PHOTO,
                2.0 / 3));
        PIPELINE.lambda().clear();

        // Both split before either is recognised, as two uploads at once would be.
        PIPELINE.split("dup.mp4");
        PIPELINE.split("dup.mov");
        List<String> messages = PIPELINE.invokes();
        assertThat(messages).as("one invoke per video").hasSize(2);
        messages.forEach(PIPELINE::recognise);

        assertThat(PIPELINE.output("dup.txt")).isEqualTo(SampleFaces.ENROLLED);
        assertThat(PIPELINE.output("dup.mov.txt")).isEqualTo(Outcome.UNKNOWN);
        assertThat(record("dup.json").get("source_key").asText()).isEqualTo("dup.mp4");
        assertThat(record("dup.mov.json").get("source_key").asText()).isEqualTo("dup.mov");
        assertThat(PIPELINE.s3().listObjectsV2Paginator(b -> b.bucket(STAGE)).contents().stream().map(S3Object::key))
                .containsExactlyInAnyOrder("dup.jpg", "dup.mov.jpg");

        // dup.mp4's message delivered again, then in the course's two fields: its own frame, its own name.
        PIPELINE.proxy().clearLog();
        PIPELINE.recognise(messages.get(0));
        assertThat(PIPELINE.proxy().writes()).as("writes for a message delivered again").isEmpty();
        PIPELINE.recognise(RecognitionFixture.courseMessage(STAGE, "dup.mp4"));
        assertThat(PIPELINE.output("dup.txt")).isEqualTo(SampleFaces.ENROLLED);
        assertThat(PIPELINE.output("dup.mov.txt")).isEqualTo(Outcome.UNKNOWN);
    }

    private static JsonNode record(String key) throws Exception {
        return Json.MAPPER.readTree(PIPELINE.output(key));
    }
}
