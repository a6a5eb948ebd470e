package dev.facerec.recognition.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.testing.CourseWorkload;
import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Detection;
import dev.facerec.recognition.Fixtures;
import dev.facerec.recognition.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Haar detector against face-api's faces: every fixture face found, the gallery photos' largest box on the person,
 * and the detector's own contract (order, repeatability, natives freed, concurrency, close).
 */
class HaarFaceDetectorTest {

    /** Reframed Haar boxes against face-api's: above this IoU they frame the same face. */
    private static final double SAME_FACE_IOU = 0.5;

    private static HaarFaceDetector detector;
    private static JsonNode reference;

    @BeforeAll
    static void load() {
        reference = Fixtures.json("pipeline-tiny416.json");
        detector = new HaarFaceDetector();
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
    }

    private static List<Detection> detect(RgbImage image) {
        try (NDManager scope = Nets.WEIGHTS.newSubManager()) {
            return detector.detect(image, scope);
        }
    }

    private static Box referenceBox(String key) {
        double[] b = Fixtures.doubles(reference.get(key).get("box"));
        return new Box(b[0], b[1], b[2], b[3]);
    }

    static Stream<String> referenceFaces() {
        List<String> keys = new ArrayList<>();
        Fixtures.json("pipeline-tiny416.json").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).hasSizeGreaterThan(20);
        return keys.stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("referenceFaces")
    void findsEveryFaceFaceApiFinds(String key) {
        RgbImage image = Fixtures.image("images/" + key + ".png");
        List<Detection> detections = detect(image);
        Box face = referenceBox(key);
        System.out.printf("haar %-20s IoU with face-api's face: %s%n", key,
            detections.stream().map(d -> String.format("%.2f (score %.3f)", d.box().iou(face), d.score()))
                .collect(Collectors.joining(", ")));
        assertThat(detections).as(key).anySatisfy(d -> assertThat(d.box().iou(face)).isGreaterThan(SAME_FACE_IOU));
        assertThat(detections).extracting(Detection::score)
            .as("highest score first; every box cleared the last stage (0.5)")
            .isSortedAccordingTo(Comparator.reverseOrder())
            .allSatisfy(score -> assertThat(score).isBetween(0.5, 1.0));
    }

    /** Enroller takes a photo's largest face as the person: it must be the face face-api finds in that frame. */
    @Test
    void largestBoxOfEveryGalleryPhotoIsThePerson() throws IOException {
        Map<String, String> videoOf = CourseWorkload.course().stream()
            .collect(Collectors.toMap(CourseWorkload.Video::expectedName, v -> v.name().replace(".mp4", "")));
        List<Path> photos;
        try (Stream<Path> files = Files.walk(SharedData.seedGallery())) {
            photos = files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        assertThat(photos).hasSize(16);
        for (Path photo : photos) {
            String person = photo.getParent().getFileName().toString();
            String stem = photo.getFileName().toString().replace(".jpg", ""); // <Name>_f<K>: frame K of their video
            String key = videoOf.get(person) + stem.substring(stem.lastIndexOf("_f"));
            List<Detection> detections = detect(RgbImage.decode(Files.readAllBytes(photo)));
            Detection largest = detections.stream().max(Comparator.comparingDouble(d -> d.box().area())).orElseThrow();
            assertThat(largest.box().iou(referenceBox(key))).as("%s: largest of %s", photo, detections)
                .isGreaterThan(SAME_FACE_IOU);
        }
    }

    @Test
    void repeatedCallsGiveTheSameBoxesAndFreeTheirNatives() {
        RgbImage frame = Fixtures.image("images/test_5_f0.png");
        List<Detection> first = detect(frame);
        long pointers = Pointer.totalCount();
        long bytes = Pointer.totalBytes();
        for (int i = 0; i < 8; i++) {
            assertThat(detect(frame)).isEqualTo(first);
        }
        // At most: the garbage collector may free other tests' natives meanwhile, never add to them.
        assertThat(Pointer.totalCount()).as("native objects alive").isLessThanOrEqualTo(pointers);
        assertThat(Pointer.totalBytes()).as("native bytes held").isLessThanOrEqualTo(bytes);
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        List<RgbImage> frames = Stream.of("test_5_f0", "test_8_f30", "kate_siegel_raw", "test_4_f24")
            .map(name -> Fixtures.image("images/" + name + ".png")).toList();
        List<List<Detection>> sequential = frames.stream().map(HaarFaceDetectorTest::detect).toList();
        ExecutorService pool = Executors.newFixedThreadPool(frames.size());
        try {
            List<Future<List<Detection>>> concurrent = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (RgbImage frame : frames) {
                    concurrent.add(pool.submit(() -> detect(frame)));
                }
            }
            for (int i = 0; i < concurrent.size(); i++) {
                assertThat(concurrent.get(i).get()).isEqualTo(sequential.get(i % frames.size()));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aClosedDetectorRefuses() {
        HaarFaceDetector closed = new HaarFaceDetector();
        closed.close();
        RgbImage frame = Fixtures.image("images/test_4_f0.png");
        try (NDManager scope = Nets.WEIGHTS.newSubManager()) {
            assertThatThrownBy(() -> closed.detect(frame, scope)).isInstanceOf(IllegalStateException.class);
        }
    }

}
