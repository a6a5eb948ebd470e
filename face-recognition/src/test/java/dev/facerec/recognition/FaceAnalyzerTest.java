package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole pipeline against face-api's {@code detectSingleFace(...).withFaceLandmarks().withFaceDescriptor()} on
 * every fixture image: face-api's face is our highest-scoring one.
 */
class FaceAnalyzerTest {

    /**
     * Where the face is in fixture images for which the reference has no entry (labelled by eye): a detector may find
     * it, but must not report a face whose centre lies elsewhere.
     */
    private static final Map<String, Box> UNDETECTED_FACES = Map.of(
        "paul_rudd_raw.png", new Box(240, 280, 1160, 1600));

    private static FaceAnalyzer analyzer;
    private static JsonNode expected;
    private static final double[] WORST = new double[5];

    @BeforeAll
    static void load() {
        expected = Fixtures.json("pipeline-tiny416.json");
        analyzer = FaceAnalyzer.create(DetectorKind.TINY); // face-api's own pipeline, as the fixtures were made
    }

    @AfterAll
    static void close() {
        if (analyzer != null) {
            analyzer.close();
            System.out.printf("pipeline worst |diff|: box %.3g px, score %.3g, landmarks %.3g px, descriptor %.3g%n",
                WORST[0], WORST[1], WORST[2], WORST[3]);
        }
    }

    static Stream<String> images() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.dir().resolve("images"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted()
                .toList();
            assertThat(names).hasSizeGreaterThan(20);
            return names.stream();
        }
    }

    private static List<Face> analyze(String file) throws IOException {
        return analyzer.analyze(Files.readAllBytes(Fixtures.dir().resolve("images").resolve(file)));
    }

    @ParameterizedTest
    @MethodSource("images")
    void matchesTheReference(String file) throws IOException {
        List<Face> faces = analyze(file);
        JsonNode reference = expected.get(file.replace(".png", ""));
        if (reference == null) {
            Box face = UNDETECTED_FACES.get(file);
            for (Face found : faces) {
                Box box = found.detection().box();
                assertThat(face).as("a face in %s, which the reference found none in", file).isNotNull();
                assertThat(box.x() + box.width() / 2).as("centre x").isBetween(face.x(), face.right());
                assertThat(box.y() + box.height() / 2).as("centre y").isBetween(face.y(), face.bottom());
            }
            return;
        }
        assertThat(faces).as("faces in " + file).isNotEmpty();
        Face face = faces.get(0);

        double[] box = Fixtures.doubles(reference.get("box"));
        Box b = face.detection().box();
        double boxDiff = max(Math.abs(b.x() - box[0]), Math.abs(b.y() - box[1]), Math.abs(b.width() - box[2]),
            Math.abs(b.height() - box[3]));
        double scoreDiff = Math.abs(face.detection().score() - reference.get("score").asDouble());
        double[] landmarks = Fixtures.doubles(reference.get("landmarks"));
        double landmarkDiff = 0;
        for (int i = 0; i < Landmarks.COUNT; i++) {
            Point p = face.landmarks().points().get(i);
            landmarkDiff = max(landmarkDiff, Math.abs(p.x() - landmarks[2 * i]), Math.abs(p.y() - landmarks[2 * i + 1]));
        }
        double[] align = Fixtures.doubles(reference.get("align"));
        float[] descriptor = Fixtures.floats(reference.get("descriptor"));
        double descriptorDiff = 0;
        for (int i = 0; i < Descriptor.LENGTH; i++) {
            descriptorDiff = max(descriptorDiff, Math.abs(face.descriptor().get(i) - descriptor[i]));
        }
        record(boxDiff, scoreDiff, landmarkDiff, descriptorDiff);

        assertThat(boxDiff).as("box").isLessThan(1e-3);
        assertThat(scoreDiff).as("score").isLessThan(1e-5);
        assertThat(landmarkDiff).as("landmarks").isLessThan(1e-3);
        assertThat(face.alignBox()).as("align box").isEqualTo(new Box(align[0], align[1], align[2], align[3]));
        assertThat(descriptorDiff).as("descriptor").isLessThan(1e-5);
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        List<String> files = List.of("test_5_f0.png", "test_8_f30.png", "kate_siegel_raw.png", "test_4_f24.png");
        List<List<Face>> sequential = new ArrayList<>();
        for (String file : files) {
            sequential.add(analyze(file));
        }
        ExecutorService pool = Executors.newFixedThreadPool(files.size());
        try {
            List<Future<List<Face>>> concurrent = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String file : files) {
                    concurrent.add(pool.submit(() -> analyze(file)));
                }
            }
            for (int i = 0; i < concurrent.size(); i++) {
                assertThat(concurrent.get(i).get()).isEqualTo(sequential.get(i % files.size()));
            }
        } finally {
            pool.shutdown();
        }
        assertThat(sequential.get(0)).as("two people in test_5_f0").hasSize(2);
    }

    @Test
    void repeatedCallsGiveTheSameFaces() throws IOException {
        RgbImage frame = RgbImage.decode(Files.readAllBytes(Fixtures.dir().resolve("images/test_8_f30.png")));
        List<Face> first = analyzer.analyze(frame);
        assertThat(first).hasSize(1);
        int runs = 8;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            assertThat(analyzer.analyze(frame)).isEqualTo(first);
        }
        System.out.printf("warm analyze, 1920x1080 frame, 1 face: %.1f ms%n", (System.nanoTime() - start) / 1e6 / runs);
    }

    private static synchronized void record(double... diffs) {
        for (int i = 0; i < diffs.length; i++) {
            WORST[i] = Math.max(WORST[i], diffs[i]);
        }
    }

    private static double max(double... values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
