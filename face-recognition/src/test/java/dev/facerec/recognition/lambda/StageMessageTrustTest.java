package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.PipelineExtension.GALLERIES;
import static dev.facerec.recognition.lambda.PipelineExtension.INPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.OUTPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.STAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facerec.common.Json;
import dev.facerec.common.Outcome;
import dev.facerec.recognition.SampleFaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * A stage message only points at a frame. Which video the frame is of, and so where its outcome goes, is what the
 * frame's own metadata says (the splitter wrote it); a message for another bucket, for a frame the splitter did not
 * write for that key, or that disagrees with the frame, is dropped without a write. Both functions on S3Mock behind
 * {@link FaultyS3Proxy} (no faults: its log shows every write), with the sample gallery: nothing beside the project.
 */
class StageMessageTrustTest {
    @RegisterExtension
    static final PipelineExtension PIPELINE = PipelineExtension.withSampleGallery().throughFaultyProxy(2L);
    /** Named by the sample gallery. */
    static final String NAMED = "trust/named.mp4";
    /** Three strangers: Unknown. */
    static final String STRANGERS = "trust/strangers.mp4";

    @TempDir
    static Path dir;
    static Path namedVideo;
    static Path strangersVideo;

    @BeforeAll
    static void makeVideos() throws IOException {
        namedVideo = SampleFaces.video(dir.resolve("named.mp4"), SampleFaces.ENROLLED_PHOTO, 2.0 / 3);
        strangersVideo = SampleFaces.video(dir.resolve("strangers.mp4"), SampleFaces.STRANGERS_PHOTO, 2.0 / 3);
    }

    static Stream<Arguments> messagesPointingElsewhere() {
        return Stream.of(
                Arguments.of("the gallery as the frame (the review's message)", "{\"bucket_name\":\"" + GALLERIES
                        + "\",\"image_file_name\":\"gallery.json\",\"source_key\":\"" + NAMED + "\"}"),
                Arguments.of("the video as the frame", "{\"bucket_name\":\"" + INPUT + "\",\"image_file_name\":\""
                        + NAMED + "\",\"source_bucket\":\"" + INPUT + "\",\"source_key\":\"" + NAMED + "\"}"),
                Arguments.of("an outcome as the frame", "{\"bucket_name\":\"" + OUTPUT
                        + "\",\"image_file_name\":\"trust/named.json\",\"source_key\":\"" + NAMED + "\"}"),
                Arguments.of("another video's frame claimed for this video", "{\"bucket_name\":\"" + STAGE
                        + "\",\"image_file_name\":\"trust/strangers.jpg\",\"source_bucket\":\"" + INPUT
                        + "\",\"source_key\":\"" + NAMED + "\"}"),
                Arguments.of("the same, with a field of the wrong type", "{\"bucket_name\":\"" + STAGE
                        + "\",\"image_file_name\":\"trust/strangers.jpg\",\"source_key\":\"" + NAMED
                        + "\",\"frame_time_seconds\":\"abc\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesPointingElsewhere")
    void aMessageThatPointsElsewhereWritesNothing(String what, String forged) {
        PIPELINE.upload(NAMED, namedVideo);
        PIPELINE.runPipeline(NAMED);
        PIPELINE.upload(STRANGERS, strangersVideo);
        PIPELINE.runPipeline(STRANGERS);
        PIPELINE.proxy().clearLog();

        PIPELINE.recognise(forged);

        assertThat(PIPELINE.proxy().writes()).as("writes for a message pointing at %s", what).isEmpty();
        assertThat(PIPELINE.output("trust/named.txt")).isEqualTo(SampleFaces.ENROLLED);
        assertThat(PIPELINE.output("trust/strangers.txt")).isEqualTo(Outcome.UNKNOWN);
    }

    /** What stands at the named video's frame key: the strangers' frame, with metadata that is not its video's. */
    enum ForeignFrame {
        WITHOUT_PROVENANCE {
            @Override
            Map<String, String> metadata(Map<String, String> namedFrame, Map<String, String> strangersFrame) {
                return Map.of();
            }
        },
        NAMING_A_BUCKET_OTHER_THAN_INPUT_BUCKET {
            @Override
            Map<String, String> metadata(Map<String, String> namedFrame, Map<String, String> strangersFrame) {
                Map<String, String> metadata = new HashMap<>(namedFrame);
                metadata.put("source-bucket", GALLERIES);
                return metadata;
            }
        },
        OF_ANOTHER_VIDEO_COPIED_THERE {
            @Override
            Map<String, String> metadata(Map<String, String> namedFrame, Map<String, String> strangersFrame) {
                return strangersFrame;
            }
        };

        abstract Map<String, String> metadata(Map<String, String> namedFrame, Map<String, String> strangersFrame);
    }

    @ParameterizedTest
    @EnumSource(ForeignFrame.class)
    void aFrameTheSplitterDidNotWriteForItsKeyWritesNothing(ForeignFrame foreign) {
        PIPELINE.upload(NAMED, namedVideo);
        PIPELINE.runPipeline(NAMED);
        PIPELINE.upload(STRANGERS, strangersVideo);
        PIPELINE.runPipeline(STRANGERS);
        Map<String, String> metadata = foreign.metadata(frameMetadata("trust/named.jpg"),
                frameMetadata("trust/strangers.jpg"));
        PIPELINE.s3().copyObject(b -> b.sourceBucket(STAGE).sourceKey("trust/strangers.jpg")
                .destinationBucket(STAGE).destinationKey("trust/named.jpg")
                .metadataDirective(MetadataDirective.REPLACE).metadata(metadata).contentType("image/jpeg"));
        PIPELINE.proxy().clearLog();

        PIPELINE.recognise(RecognitionFixture.courseMessage(STAGE, NAMED));

        assertThat(PIPELINE.proxy().writes()).as("writes for a frame %s", foreign).isEmpty();
        assertThat(PIPELINE.output("trust/named.txt")).isEqualTo(SampleFaces.ENROLLED);
    }

    @Test
    void aMessageWithoutSourceBucketStillLeavesAReplacedVideoToItsNewVersion() {
        PIPELINE.upload("trust/replaced.mp4", namedVideo);
        PIPELINE.lambda().clear();
        PIPELINE.split("trust/replaced.mp4");
        String message = onlyInvoke();
        PIPELINE.upload("trust/replaced.mp4", strangersVideo); // its event not handled yet
        PIPELINE.proxy().clearLog();

        PIPELINE.recognise(edited(message, m -> m.remove("source_bucket")));

        assertThat(PIPELINE.proxy().writes()).as("writes for the replaced version").isEmpty();
    }

    @Test
    void aFieldOfTheWrongTypeIsAnErrorOfTheFramesVideoThatNeverUndoesItsOutcome() throws Exception {
        PIPELINE.upload("trust/typed.mp4", namedVideo);
        PIPELINE.lambda().clear();
        PIPELINE.split("trust/typed.mp4");
        String message = onlyInvoke();
        String malformed = edited(message, m -> m.put("frame_time_seconds", "abc"));

        PIPELINE.recognise(malformed);

        assertThat(PIPELINE.output("trust/typed.txt")).isEqualTo(Outcome.ERROR);
        JsonNode record = Json.MAPPER.readTree(PIPELINE.output("trust/typed.json"));
        assertThat(record.get("reason").asText()).contains("frame_time_seconds");
        assertThat(record.get("source_key").asText()).isEqualTo("trust/typed.mp4");

        PIPELINE.recognise(message); // the well-formed delivery replaces the Error
        assertThat(PIPELINE.output("trust/typed.txt")).isEqualTo(SampleFaces.ENROLLED);
        PIPELINE.proxy().clearLog();

        PIPELINE.recognise(malformed); // delivered again: the name stays
        assertThat(PIPELINE.proxy().writes()).as("writes for the malformed message once named").isEmpty();
        assertThat(PIPELINE.output("trust/typed.txt")).isEqualTo(SampleFaces.ENROLLED);
    }

    @Test
    void aMessageForAFrameThatIsGoneWritesNothing() {
        PIPELINE.upload("trust/gone.mp4", namedVideo);
        PIPELINE.runPipeline("trust/gone.mp4");
        PIPELINE.s3().deleteObject(b -> b.bucket(STAGE).key("trust/gone.jpg"));
        PIPELINE.proxy().clearLog();

        PIPELINE.recognise("{\"bucket_name\":\"" + STAGE + "\",\"image_file_name\":\"trust/gone.jpg\",\"source_key\":"
                + "\"trust/gone.mp4\"}");

        assertThat(PIPELINE.proxy().writes()).as("writes for a frame that is gone").isEmpty();
        assertThat(PIPELINE.output("trust/gone.txt")).isEqualTo(SampleFaces.ENROLLED);
    }

    private static String onlyInvoke() {
        assertThat(PIPELINE.invokes()).as("async invokes of face-recognition").hasSize(1);
        return PIPELINE.invokes().get(0);
    }

    private static Map<String, String> frameMetadata(String frameKey) {
        return PIPELINE.s3().headObject(b -> b.bucket(STAGE).key(frameKey)).metadata();
    }

    private static String edited(String message, Consumer<ObjectNode> edit) {
        try {
            ObjectNode json = (ObjectNode) Json.MAPPER.readTree(message);
            edit.accept(json);
            return json.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
