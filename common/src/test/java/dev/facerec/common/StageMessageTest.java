package dev.facerec.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageMessageTest {

    @Test
    void writesTheOriginalProjectsFieldNames() throws Exception {
        StageMessage message = new StageMessage("stage-1", "dir/My clip.jpg", "input", "dir/My clip.mp4",
                "abc123", "0055AED6DCD90281E5", 0.5);
        JsonNode json = Json.MAPPER.readTree(message.toJson());
        assertThat(json.get("bucket_name").asText()).isEqualTo("stage-1");
        assertThat(json.get("image_file_name").asText()).isEqualTo("dir/My clip.jpg");
        assertThat(json.get("source_key").asText()).isEqualTo("dir/My clip.mp4");
        assertThat(StageMessage.fromJson(message.toJson())).isEqualTo(message);
    }

    @Test
    void readsTheMinimalOriginalPayload() {
        StageMessage message = StageMessage.fromJson("{\"bucket_name\":\"b\",\"image_file_name\":\"k.jpg\"}");
        assertThat(message).isEqualTo(StageMessage.of("b", "k.jpg"));
    }

    @Test
    void refusesAMessageWithoutItsFields() {
        assertThatThrownBy(() -> StageMessage.fromJson("{\"bucket_name\":\"b\"}"))
                .hasMessage("stage message has no image_file_name");
        assertThatThrownBy(() -> StageMessage.fromJson("not json"))
                .hasMessageStartingWith("stage message is not valid JSON");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedAndTheTextFieldsStayReadable() {
        String json = "{\"bucket_name\":\"b\",\"image_file_name\":\"k.jpg\",\"source_key\":\"k.mp4\","
                + "\"source_etag\":[],\"frame_time_seconds\":\"abc\"}";
        assertThatThrownBy(() -> StageMessage.fromJson(json))
                .hasMessageStartingWith("stage message field source_etag has the wrong type");
        assertThat(StageMessage.readableFieldsOf(json))
                .contains(new StageMessage("b", "k.jpg", null, "k.mp4", null, null, null));
        assertThat(StageMessage.readableFieldsOf("{\"bucket_name\":\"b\",\"image_file_name\":3}")).isEmpty();
        assertThat(StageMessage.readableFieldsOf("not json")).isEmpty();
    }

    static StageMessage withFrames(String videoKey, int count) {
        List<StageMessage.FrameRef> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(new StageMessage.FrameRef(i == 0 ? ObjectKeys.frameKey(videoKey)
                    : ObjectKeys.sampledFrameKey(videoKey, i), i));
        }
        return new StageMessage("stage", frames.get(0).key(), "input", videoKey, "e", "s", 0.0, frames, true, null);
    }

    @Test
    void aFrameListRoundTripsAndMustStartWithTheFirstFrame() {
        StageMessage message = withFrames("clip.mp4", 3);
        assertThat(StageMessage.fromJson(message.toJson())).isEqualTo(message);
        assertThat(message.framesToRecognise()).extracting(StageMessage.FrameRef::key)
                .containsExactly("clip.jpg", "clip.frames/000001.000.jpeg", "clip.frames/000002.000.jpeg");
        String wrongFirst = message.toJson().replace("\"image_file_name\":\"clip.jpg\"",
                "\"image_file_name\":\"other.jpg\"");
        assertThatThrownBy(() -> StageMessage.fromJson(wrongFirst))
                .hasMessage("stage message field frames must start with image_file_name");
        // The original payload: the one frame it names.
        assertThat(StageMessage.of("b", "k.jpg").framesToRecognise()).containsExactly(new StageMessage.FrameRef(
                "k.jpg", 0));
    }

    @Test
    void aFrameListTooLongForAnAsyncInvokeIsThinnedAndSaysSo() {
        StageMessage small = withFrames("clip.mp4", 120);
        assertThat(small.fittedToAsyncPayload()).isSameAs(small);
        assertThat(small.toJson().length()).isLessThan(10_000);

        // The longest key S3 allows a video (with room for .json) and the most frames MAX_FRAMES allows.
        String longKey = "v/".repeat(250) + "x".repeat(1024 - 500 - ".json".length() - 4) + ".mp4";
        StageMessage big = withFrames(longKey, 1000);
        assertThat(big.toJson().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(StageMessage.MAX_ASYNC_PAYLOAD_BYTES);

        StageMessage fitted = big.fittedToAsyncPayload();
        assertThat(fitted.toJson().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(StageMessage.MAX_ASYNC_PAYLOAD_BYTES);
        assertThat(fitted.frames().get(0)).isEqualTo(big.frames().get(0));
        assertThat(fitted.frames()).hasSizeLessThan(500).isSubsetOf(big.frames());
        assertThat(fitted.complete()).isFalse();
        assertThat(fitted.incompleteReason()).startsWith("the frame list was thinned from 1000 to ")
                .endsWith(" frames to fit Lambda's 256 KB async payload");
    }
}
