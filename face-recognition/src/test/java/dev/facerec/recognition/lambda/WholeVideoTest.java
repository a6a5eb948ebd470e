package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.PipelineExtension.STAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facerec.common.Deadline;
import dev.facerec.common.Json;
import dev.facerec.recognition.SampleFaces;
import dev.facerec.splitter.core.StillVideo;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code FRAMES=keyframes} through both functions: who is in the whole video and when, on a video of the sample photos
 * ({@link SampleFaces#story}: a black opening, strangers, then one enrolled woman, then the other).
 */
class WholeVideoTest {
    @RegisterExtension
    static final PipelineExtension PIPELINE = PipelineExtension.withTwoSamplePeople().with("FRAMES", "keyframes");

    @TempDir
    static Path dir;

    static JsonNode record(String stem) throws Exception {
        return Json.MAPPER.readTree(PIPELINE.output(stem + ".json"));
    }

    @Test
    void namesThePersonSeenMostAndListsEveryoneWithTheirTimes() throws Exception {
        PIPELINE.upload("story.mp4", SampleFaces.story(dir.resolve("story.mp4")));

        PIPELINE.runPipeline("story.mp4");

        // sample6's woman is in three frames, sample3's in two.
        assertThat(PIPELINE.output("story.txt")).isEqualTo(SampleFaces.SECOND);
        JsonNode record = record("story");
        assertThat(record.get("complete").asBoolean()).isTrue();
        assertThat(record.get("frames")).as("the keyframes at 2..8 s; 0 and 1 s are black").hasSize(7);
        assertThat(record.get("frames").get(0).get("key").asText()).isEqualTo("story.jpg");
        assertThat(record.get("frames").get(0).get("seconds").asDouble()).isEqualTo(2.0);
        assertThat(record.get("frame_key").asText()).isEqualTo("story.jpg");
        assertThat(record.get("faces")).as("the first frame's faces, as before: sample1's three").hasSize(3);
        JsonNode people = record.get("people");
        assertThat(people).hasSize(SampleFaces.STORY.size());
        for (int i = 0; i < SampleFaces.STORY.size(); i++) {
            SampleFaces.Seen seen = SampleFaces.STORY.get(i);
            JsonNode person = people.get(i);
            assertThat(person.get("name").asText()).isEqualTo(seen.name());
            assertThat(person.get("first_seconds").asDouble()).as(seen.name()).isEqualTo(seen.firstSeconds());
            assertThat(person.get("last_seconds").asDouble()).as(seen.name()).isEqualTo(seen.lastSeconds());
            assertThat(person.get("frames").asInt()).isEqualTo((int) (seen.lastSeconds() - seen.firstSeconds()) + 1);
        }
        assertThat(people.get(1).get("best_distance").asDouble()).isLessThan(0.55);
        assertThat(people.get(1).get("best_frame").asText()).matches("story\\.frames/00000[45]\\.000\\.jpeg");
        assertThat(people.get(0).get("best_distance").isNull()).isTrue();
    }

    @Test
    void aMultiFrameMessageDeliveredAgainWritesNothingMore() throws Exception {
        PIPELINE.upload("twice.mp4", SampleFaces.story(dir.resolve("twice.mp4")));
        PIPELINE.split("twice.mp4");
        String message = PIPELINE.invokes().get(0);
        PIPELINE.recognise(message);
        var written = PIPELINE.s3().headObject(b -> b.bucket(PipelineExtension.OUTPUT).key("twice.json")).eTag();

        PIPELINE.recognise(message);

        assertThat(PIPELINE.s3().headObject(b -> b.bucket(PipelineExtension.OUTPUT).key("twice.json")).eTag())
                .isEqualTo(written);
        assertThat(PIPELINE.output("twice.txt")).isEqualTo(SampleFaces.SECOND);
    }

    @Test
    void theMessageOfAVersionReplacedInFlightWritesNothingAndTheNewOneWins() throws Exception {
        PIPELINE.upload("replaced.mp4", SampleFaces.story(dir.resolve("replaced.mp4")));
        PIPELINE.split("replaced.mp4");
        String old = PIPELINE.invokes().get(0);
        PIPELINE.lambda().clear();
        // Uploaded again before face-recognition ran: two seconds of sample3 alone.
        BufferedImage sample3 = SampleFaces.photo(SampleFaces.ENROLLED_PHOTO);
        PIPELINE.upload("replaced.mp4", StillVideo.write(dir.resolve("sample3.mp4"), 4_000_000,
                List.of(new StillVideo.Shot(sample3, 2))));
        PIPELINE.split("replaced.mp4");
        String current = PIPELINE.invokes().get(0);

        PIPELINE.recognise(old);
        assertThat(PIPELINE.s3().listObjectsV2(b -> b.bucket(PipelineExtension.OUTPUT)).contents())
                .as("nothing written for the replaced version").isEmpty();
        PIPELINE.recognise(current);
        assertThat(PIPELINE.output("replaced.txt")).isEqualTo(SampleFaces.ENROLLED);
        assertThat(record("replaced").get("frames")).hasSize(2);
    }

    @Test
    void aFrameOfAnotherVideoSlippedIntoTheListIsNotRecognised() throws Exception {
        PIPELINE.upload("mine.mp4", SampleFaces.story(dir.resolve("mine.mp4")));
        PIPELINE.upload("theirs.mp4", SampleFaces.story(dir.resolve("theirs.mp4")));
        PIPELINE.split("theirs.mp4");
        PIPELINE.lambda().clear();
        PIPELINE.split("mine.mp4");
        ObjectNode message = (ObjectNode) Json.MAPPER.readTree(PIPELINE.invokes().get(0));
        ((ObjectNode) message.get("frames").get(3)).put("key", "theirs.frames/000005.000.jpeg");

        PIPELINE.recognise(message.toString());

        JsonNode slipped = record("mine").get("frames").get(3);
        assertThat(slipped.get("outcome").asText()).isEqualTo("Error");
        assertThat(slipped.get("error").asText()).isEqualTo("not a frame key of the video mine.mp4: "
                + "theirs.frames/000005.000.jpeg");
        assertThat(record("mine").get("people").get(1).get("frames").asInt()).as("sample3's woman, in one frame of its own")
                .isEqualTo(1);
        assertThat(PIPELINE.output("mine.txt")).isEqualTo(SampleFaces.SECOND);
        assertThat(PIPELINE.s3().headObject(b -> b.bucket(STAGE).key("theirs.frames/000005.000.jpeg"))
                .contentLength()).isPositive();
    }

    @Test
    void whenTheTimeRunsOutItWritesWhatItHasMarkedIncomplete() throws Exception {
        PIPELINE.upload("late.mp4", SampleFaces.story(dir.resolve("late.mp4")));
        PIPELINE.split("late.mp4");
        // A clock one second on at each look: 4.5 s left is 1.5 s after the reserve, so the first look (before any
        // frame) finds time, and the look before the second frame finds none.
        AtomicLong now = new AtomicLong();
        Deadline deadline = Deadline.ofRemaining(Duration.ofMillis(4500), () -> now.getAndAdd(1_000_000_000L));

        PIPELINE.recognise(PIPELINE.invokes().get(0), deadline);

        JsonNode record = record("late");
        assertThat(record.get("complete").asBoolean()).isFalse();
        assertThat(record.get("incomplete_reason").asText()).isEqualTo("the time ran out after 1 of 7 frames, at 3.0 s");
        assertThat(record.get("frames")).hasSize(1);
        assertThat(PIPELINE.output("late.txt")).isEqualTo("Unknown");
    }
}
