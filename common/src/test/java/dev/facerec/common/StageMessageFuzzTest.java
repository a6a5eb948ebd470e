package dev.facerec.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.facerec.common.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stage message as face-recognition reads it, from any bytes: {@link StageMessage#fromJson} gives a message that
 * names a frame, or refuses with an {@link IllegalArgumentException}; what it refuses, {@link
 * StageMessage#readableFieldsOf} reads without throwing. Anything else thrown is a finding.
 */
class StageMessageFuzzTest {

    static Stream<byte[]> messages() throws IOException {
        StageMessage keyframes = new StageMessage("stage", "videos/a.jpg", "input", "videos/a.mp4", "etag", "0A1B",
                0.0, List.of(new StageMessage.FrameRef("videos/a.jpg", 0), new StageMessage.FrameRef(
                        "videos/a/frames/1.000.jpg", 1.0)), false, "the time ran out");
        return Stream.of(Files.readAllBytes(SharedData.projectRoot().resolve("samples/events/stage-message.json")),
                keyframes.toJson().getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("messages")
    @DictionaryEntries({"\"bucket_name\"", "\"image_file_name\"", "\"source_bucket\"", "\"source_key\"",
            "\"source_etag\"", "\"source_sequencer\"", "\"frame_time_seconds\"", "\"frames\"", "\"key\"",
            "\"seconds\"", "\"complete\"", "\"incomplete_reason\"", "null", "true", "1e400", "-0.0"})
    @FuzzTest(maxDuration = "3s")
    void messageOrRefusal(byte[] bytes) {
        String json = new String(bytes, StandardCharsets.UTF_8);
        StageMessage message;
        try {
            message = StageMessage.fromJson(json);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith("stage message");
            StageMessage.readableFieldsOf(json).ifPresent(readable -> {
                assertThat(readable.bucketName()).isNotBlank();
                assertThat(readable.imageFileName()).isNotBlank();
            });
            return;
        }
        assertThat(message.bucketName()).isNotBlank();
        assertThat(message.framesToRecognise()).isNotEmpty().allSatisfy(frame -> assertThat(frame.key()).isNotBlank());
        assertThat(message.framesToRecognise().get(0).key()).isEqualTo(message.imageFileName());
        // What the splitter would send on is read back as the same message.
        assertThat(StageMessage.fromJson(message.fittedToAsyncPayload().toJson()).imageFileName())
                .isEqualTo(message.imageFileName());
    }
}
