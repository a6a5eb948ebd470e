package dev.facerec.recognition.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.Detection;
import dev.facerec.recognition.Face;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.RgbImage;
import dev.facerec.recognition.model.SsdFixtureImages.FixtureImage;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SsdMobilenetv1 against face-api's own {@code detectAllFaces(img, new SsdMobilenetv1Options({minConfidence: 0.5}))}
 * on tf.js's cpu backend ({@code ssd-mobilenetv1.json}, made by {@code src/test/node/ssd-fixture.mjs} from
 * {@link SsdFixtureImages}): the same faces in the same order, boxes in image pixels and scores as face-api's; the
 * score of every prior box of one image; and the suppression and mapping alone on made-up boxes, bit for bit.
 */
class SsdMobilenetv1Test {

    private static final double BOX_TOLERANCE_PX = 1e-3;
    private static final double SCORE_TOLERANCE = 1e-5;

    private static SsdMobilenetv1 detector;
    private static JsonNode fixture;
    private static JsonNode reference;
    private static double worstBox;
    private static double worstScore;

    @BeforeAll
    static void load() throws IOException {
        detector = new SsdMobilenetv1(TfjsWeights.fromClasspath(SsdMobilenetv1.MODEL), Nets.WEIGHTS);
        try (InputStream in = SsdMobilenetv1Test.class.getResourceAsStream("ssd-mobilenetv1.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        reference = fixture.get("images");
    }

    @AfterAll
    static void report() {
        System.out.printf("SsdMobilenetv1 worst |diff| against face-api: box %.3g px, score %.3g%n", worstBox,
            worstScore);
    }

    static Stream<FixtureImage> fixtureImages() {
        return SsdFixtureImages.ALL.stream();
    }

    @Test
    void theReferenceHoldsExactlyTheFixtureImages() {
        List<String> files = SsdFixtureImages.ALL.stream().map(FixtureImage::file).sorted().toList();
        assertThat(reference.fieldNames()).toIterable().containsExactlyElementsOf(files);
        int faces = 0;
        for (JsonNode image : reference) {
            faces += image.get("faces").size();
        }
        assertThat(faces).as("faces face-api found in all fixture images").isEqualTo(38);
    }

    @ParameterizedTest
    @MethodSource("fixtureImages")
    void findsTheFacesFaceApiFinds(FixtureImage fixture) throws NoSuchAlgorithmException {
        JsonNode expected = reference.get(fixture.file());
        RgbImage image = fixture.image();
        assertThat(new int[] {image.width(), image.height()}).as("size of %s", fixture.name())
            .containsExactly(expected.get("width").asInt(), expected.get("height").asInt());
        // The JDK's JPEG decoder, crop and shrink must give back the exact pixels the reference was run on.
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image.rgb())))
            .as("RGB of %s", fixture.name()).isEqualTo(expected.get("rgbSha256").asText());

        int weightArrays = Nets.WEIGHTS.getManagedArrays().size();
        List<Detection> found;
        try (NDManager scope = Nets.WEIGHTS.newSubManager()) {
            found = detector.detect(image, scope);
        }
        assertThat(Nets.WEIGHTS.getManagedArrays()).as("arrays left beside the weights").hasSize(weightArrays);

        JsonNode faces = expected.get("faces");
        assertThat(found).as("faces in %s", fixture.name()).hasSize(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            JsonNode face = faces.get(i);
            Box box = found.get(i).box();
            double[] want = new double[4];
            for (int k = 0; k < 4; k++) {
                want[k] = face.get("box").get(k).asDouble();
            }
            double boxDiff = Math.max(Math.max(Math.abs(box.x() - want[0]), Math.abs(box.y() - want[1])),
                Math.max(Math.abs(box.width() - want[2]), Math.abs(box.height() - want[3])));
            double scoreDiff = Math.abs(found.get(i).score() - face.get("score").asDouble());
            record(boxDiff, scoreDiff);
            assertThat(boxDiff).as("box %d of %s: %s", i, fixture.name(), box).isLessThan(BOX_TOLERANCE_PX);
            assertThat(scoreDiff).as("score %d of %s", i, fixture.name()).isLessThan(SCORE_TOLERANCE);
        }
    }

    /** The whole net, not only the boxes it keeps: the face score of each of the 5118 prior boxes. */
    @Test
    void everyPriorBoxScoresAsInFaceApi() {
        JsonNode expected = fixture.get("priorScores");
        FixtureImage image = SsdFixtureImages.ALL.stream().filter(f -> f.file().equals(expected.get("file").asText()))
            .findFirst().orElseThrow();
        double[] scores;
        try (NDManager scope = Nets.WEIGHTS.newSubManager()) {
            scores = detector.faceScores(detector.predictions(image.image(), scope));
        }
        assertThat(scores).hasSize(expected.get("scores").size());
        double worst = 0;
        for (int i = 0; i < scores.length; i++) {
            worst = Math.max(worst, Math.abs(scores[i] - expected.get("scores").get(i).asDouble()));
        }
        System.out.printf("SsdMobilenetv1 worst |diff| against face-api over the %d prior scores of %s: %.3g%n",
            scores.length, image.name(), worst);
        assertThat(worst).as("largest score difference over the prior boxes of %s", image.name())
            .isLessThan(SCORE_TOLERANCE);
    }

    /**
     * Non-max suppression and the mapping to pixels alone, on made-up boxes and scores that face-api's locateFaces
     * was given in place of its net's: the same faces, to the last bit (the same arithmetic on the same inputs).
     */
    @ParameterizedTest
    @MethodSource("suppressionCases")
    void selectsAndMapsTheBoxesAsFaceApi(String name) {
        JsonNode example = fixture.get("suppression").get(name);
        JsonNode boxes = example.get("boxes");
        float[][] corners = new float[boxes.size()][4];
        double[] scores = new double[boxes.size()];
        for (int i = 0; i < corners.length; i++) {
            for (int k = 0; k < 4; k++) {
                corners[i][k] = (float) boxes.get(i).get(k).asDouble();
            }
            scores[i] = example.get("scores").get(i).asDouble();
        }

        List<Detection> selected = SsdMobilenetv1.select(corners, scores, example.get("width").asInt(),
            example.get("height").asInt());

        List<Detection> expected = new ArrayList<>();
        for (JsonNode face : example.get("faces")) {
            JsonNode b = face.get("box");
            expected.add(new Detection(new Box(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(),
                b.get(3).asDouble()), face.get("score").asDouble()));
        }
        assertThat(expected).as("face-api's faces in %s", name).isNotEmpty();
        assertThat(selected).containsExactlyElementsOf(expected);
    }

    static Stream<String> suppressionCases() {
        List<String> names = new ArrayList<>();
        fixture.get("suppression").fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    /** DetectorKind.SSD puts these boxes through the landmark and recognition nets. */
    @Test
    void anAnalyzerWithTheSsdDetectorDescribesTheFacesItFinds() {
        FixtureImage sample1 = SsdFixtureImages.ALL.get(0);
        List<Detection> detections;
        try (NDManager scope = Nets.WEIGHTS.newSubManager()) {
            detections = detector.detect(sample1.image(), scope);
        }
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(DetectorKind.SSD)) {
            List<Face> faces = analyzer.analyze(sample1.image());
            assertThat(faces).map(Face::detection).containsExactlyElementsOf(detections).hasSize(3);
            assertThat(faces.get(0).descriptor().distanceTo(faces.get(1).descriptor())).as("two people")
                .isGreaterThan(0.6);
        }
    }

    private static synchronized void record(double boxDiff, double scoreDiff) {
        worstBox = Math.max(worstBox, boxDiff);
        worstScore = Math.max(worstScore, scoreDiff);
    }
}
