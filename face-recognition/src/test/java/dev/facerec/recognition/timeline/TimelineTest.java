package dev.facerec.recognition.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.recognition.Box;
import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.Detection;
import dev.facerec.recognition.Face;
import dev.facerec.recognition.Landmarks;
import dev.facerec.recognition.Point;
import dev.facerec.recognition.Recognizer.RecognizedFace;
import dev.facerec.recognition.Recognizer.Recognition;
import dev.facerec.recognition.gallery.Match;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The aggregation of a video's frames into people, on faces made by hand (the matching is tested elsewhere). */
class TimelineTest {

    /** A face of {@code size} pixels that the gallery answered with {@code name} at {@code distance}. */
    static RecognizedFace face(double size, String name, double distance, boolean matched) {
        Box box = new Box(10, 10, size, size);
        Landmarks landmarks = new Landmarks(Collections.nCopies(Landmarks.COUNT, new Point(20, 20)), 112, 112);
        Face face = new Face(new Detection(box, 0.9), landmarks, box, new Descriptor(new float[Descriptor.LENGTH]));
        return new RecognizedFace(face, new Match(name, distance, null, null, matched));
    }

    static RecognizedFace named(String name, double distance, double size) {
        return face(size, name, distance, true);
    }

    static RecognizedFace stranger(double size) {
        return face(size, "Nearest", 0.8, false);
    }

    static TimedRecognition frame(double seconds, RecognizedFace... faces) {
        return new TimedRecognition("f" + seconds, seconds, new Recognition(null, List.of(faces), -1, null));
    }

    @Test
    void gathersEachPersonInOrderOfFirstAppearance() {
        Timeline timeline = Timeline.of(List.of(
                frame(0),
                frame(1, stranger(50)),
                frame(2, named("Ann", 0.40, 60), stranger(90)),
                frame(3, named("Ann", 0.30, 50), named("Bob", 0.50, 70)),
                frame(5, named("Bob", 0.45, 75))));

        assertThat(timeline.people()).extracting(Appearance::name).containsExactly("Unknown", "Ann", "Bob");
        Appearance unknown = timeline.people().get(0);
        assertThat(unknown.firstSeconds()).isEqualTo(1);
        assertThat(unknown.lastSeconds()).isEqualTo(2);
        assertThat(unknown.frames()).isEqualTo(2);
        assertThat(unknown.bestDistance()).isNull();
        assertThat(unknown.bestFrame()).as("the frame of its largest face").isEqualTo("f2.0");
        Appearance ann = timeline.people().get(1);
        assertThat(ann).extracting(Appearance::firstSeconds, Appearance::lastSeconds, Appearance::frames,
                Appearance::bestDistance, Appearance::bestFrame).containsExactly(2.0, 3.0, 2, 0.30, "f3.0");
        Appearance bob = timeline.people().get(2);
        assertThat(bob).extracting(Appearance::firstSeconds, Appearance::lastSeconds, Appearance::frames,
                Appearance::bestDistance, Appearance::bestFrame).containsExactly(3.0, 5.0, 2, 0.45, "f5.0");
        // Ann and Bob are both in two frames: Bob's face was the larger.
        assertThat(timeline.outcome()).isEqualTo("Bob");
    }

    @Test
    void thePersonInTheMostFramesIsTheOutcomeWhateverTheFaceSizes() {
        Timeline timeline = Timeline.of(List.of(
                frame(0, named("Ann", 0.4, 40)),
                frame(1, named("Ann", 0.4, 40)),
                frame(2, named("Bob", 0.3, 300))));
        assertThat(timeline.outcome()).isEqualTo("Ann");
    }

    @Test
    void twoFacesOfOnePersonInOneFrameCountOnce() {
        Timeline timeline = Timeline.of(List.of(frame(4, named("Ann", 0.5, 40), named("Ann", 0.3, 50))));
        assertThat(timeline.people()).singleElement().satisfies(ann -> {
            assertThat(ann.frames()).isEqualTo(1);
            assertThat(ann.bestDistance()).isEqualTo(0.3);
        });
    }

    @Test
    void framesAreTakenInTimeOrderWhateverTheOrderGiven() {
        Timeline timeline = Timeline.of(List.of(frame(9, named("Ann", 0.4, 40)), frame(2, named("Ann", 0.4, 40))));
        assertThat(timeline.people().get(0).firstSeconds()).isEqualTo(2);
        assertThat(timeline.people().get(0).lastSeconds()).isEqualTo(9);
    }

    @Test
    void strangersOnlyGiveUnknownAndNoFacesGiveNoFace() {
        assertThat(Timeline.of(List.of(frame(0, stranger(40)), frame(1))).outcome()).isEqualTo("Unknown");
        assertThat(Timeline.of(List.of(frame(0), frame(1))).outcome()).isEqualTo("NoFace");
        assertThat(Timeline.of(List.of(frame(0), frame(1))).people()).isEmpty();
    }

    @Test
    void withOneFrameTheLargestMatchingFaceGivesTheOutcome() {
        Timeline timeline = Timeline.of(List.of(frame(0, stranger(200), named("Ann", 0.5, 60),
                named("Bob", 0.2, 90))));
        assertThat(timeline.outcome()).isEqualTo("Bob");
    }
}
