package dev.facerec.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
}
