package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.recognition.SampleFaces;
import dev.facerec.recognition.gallery.GalleryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faas recognize --frames keyframes}: who is in the whole video and when, on {@link SampleFaces#story}: a black
 * opening, strangers, then one enrolled woman, then the other. The first keyframe with a picture shows strangers only.
 */
class RecognizeTimelineTest {
    @TempDir
    static Path dir;
    static Path gallery;
    static Path story;

    @BeforeAll
    static void galleryAndVideo() throws Exception {
        gallery = Files.write(dir.resolve("gallery.json"), GalleryJson.write(SampleFaces.twoPeople()));
        story = SampleFaces.story(dir.resolve("story.mp4"));
    }

    @Test
    void keyframesNamesThePersonSeenMostAndJsonListsEveryoneWithTheirTimes() throws Exception {
        Faas.Run run = Faas.run("recognize", "--gallery", gallery.toString(), "--frames", "keyframes", "--json",
                story.toString());

        assertThat(run.status()).isZero();
        JsonNode line = Json.MAPPER.readTree(run.lines().get(0));
        assertThat(line.get("outcome").asText()).isEqualTo(SampleFaces.SECOND);
        assertThat(line.get("frames").asInt()).isEqualTo(7);
        assertThat(line.get("complete").asBoolean()).isTrue();
        assertThat(line.get("frame_time_seconds").asDouble()).as("today's field: the first frame").isEqualTo(2.0);
        assertThat(line.get("faces")).as("today's field: the first frame's faces").isNotEmpty();
        JsonNode people = line.get("people");
        assertThat(people).hasSize(SampleFaces.STORY.size());
        for (int i = 0; i < SampleFaces.STORY.size(); i++) {
            SampleFaces.Seen seen = SampleFaces.STORY.get(i);
            assertThat(people.get(i).get("name").asText()).isEqualTo(seen.name());
            assertThat(people.get(i).get("first_seconds").asDouble()).isEqualTo(seen.firstSeconds());
            assertThat(people.get(i).get("last_seconds").asDouble()).isEqualTo(seen.lastSeconds());
        }
        assertThat(people.get(2).get("best_frame").asText()).startsWith("story.frames/");
    }

    @Test
    void theTextLineIsTheSameOneLineAsEver() {
        Faas.Run keyframes = Faas.run("recognize", "--gallery", gallery.toString(), "--frames", "keyframes",
                story.toString());
        Faas.Run first = Faas.run("recognize", "--gallery", gallery.toString(), story.toString());

        assertThat(keyframes.lines()).containsExactly(story + "\t" + SampleFaces.SECOND);
        // The course's rule: the first keyframe with a picture, at 2 s, shows strangers only.
        assertThat(first.lines()).containsExactly(story + "\tUnknown");
    }

    @Test
    void frameSettingsOutOfRangeAreUsageErrors() {
        Faas.Run run = Faas.run("recognize", "--gallery", gallery.toString(), "--frames", "all", story.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("must be 'first' or 'keyframes'");
        assertThat(Faas.run("recognize", "--gallery", gallery.toString(), "--max-frames", "0", story.toString())
                .status()).isEqualTo(2);
        assertThat(Faas.run("recognize", "--gallery", gallery.toString(), "--frame-interval", "-1", story.toString())
                .status()).isEqualTo(2);
    }
}
