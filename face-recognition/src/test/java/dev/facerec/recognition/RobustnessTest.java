package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.facerec.common.Outcome;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.testing.SharedData;
import dev.facerec.splitter.core.StillVideo;
import dev.facerec.recognition.Recognizer.RecognizedFace;
import dev.facerec.recognition.Recognizer.Recognition;
import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Matcher;
import dev.facerec.splitter.core.ExtractedFrame;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.TestVideos;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recogniser on variants of the course videos that people really upload. Each variant is a real H.264 mp4 made
 * from a course video's first frame, and goes the whole way: FrameExtractor, JPEG, Recognizer against the seed gallery.
 */
class RobustnessTest {
    /** A phone's 1080p rate, for variants that change the picture, not its quality (a still needs less of it). */
    private static final int PHONE_BITS_PER_SECOND = 8_000_000;
    /**
     * Starved 360p. (At 75-100 kbit/s openh264 gives test_5's child a face that matches Trump at 0.59 and loses
     * test_6's face below the detector's 0.5 score; at 30-50 and 150-500 kbit/s all eight are right.)
     */
    private static final int STARVED_BITS_PER_SECOND = 50_000;
    private static final int WIDE_WIDTH = 1920;
    private static final int WIDE_HEIGHT = 1080;
    /**
     * Face width, in pixels of a 1920-wide frame, a little above where the detector gives out: 48 px at its 416 input,
     * near its smallest anchor (51 px). At 160 px no face is found; from 180 to 240 px one video or another is missed
     * or Unknown depending on pixel details.
     */
    private static final int SMALLEST_FACE = 220;
    private static final Color NEUTRAL = new Color(128, 128, 128);

    @TempDir
    static Path dir;

    private static final FrameExtractor EXTRACTOR = new FrameExtractor();
    private static final Map<String, Course> COURSE = new LinkedHashMap<>();
    private static final Map<String, Matcher> WITHOUT = new HashMap<>();
    private static Path gallery;
    private static FaceAnalyzer analyzer;
    private static Recognizer recognizer;
    private static Matcher everyone;

    /** A course video's first frame, who the course says it shows, and where that person's face is. */
    private record Course(String name, BufferedImage frame, Box face) {
    }

    @BeforeAll
    static void enrollAndReadTheCourse() throws Exception {
        Path seed = SharedData.folder("datasets/seed");
        gallery = seed.resolve("gallery");
        FrameExtractor.loadNatives();
        analyzer = FaceAnalyzer.create();
        recognizer = new Recognizer(analyzer);
        everyone = new Matcher(new Enroller(analyzer).enroll(gallery).gallery(), Matcher.DEFAULT_THRESHOLD);
        for (String line : Files.readAllLines(seed.resolve("expected.csv"))) {
            String[] fields = line.split(",");
            if (!fields[0].equals("test_case_1")) {
                continue; // the header, and test_case_2's byte-for-byte copies
            }
            ExtractedFrame frame = extract(seed.resolve("videos").resolve(fields[1]));
            Recognition original = recognizer.recognize(frame.jpeg(), everyone);
            // A variant proves something only if the unaltered frame is named right.
            assertThat(original.outcome()).as(fields[1]).isEqualTo(fields[2]);
            COURSE.put(fields[1], new Course(fields[2], decode(frame.jpeg()),
                    original.faces().get(original.primary()).face().detection().box()));
        }
        assertThat(COURSE).hasSize(8);
    }

    @AfterAll
    static void close() {
        if (analyzer != null) {
            analyzer.close();
        }
    }

    static Stream<String> courseVideos() {
        return COURSE.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("courseVideos")
    void lowResolutionHeavilyCompressed(String video) throws Exception {
        Course course = COURSE.get(video);
        Path file = StillVideo.write(dir.resolve("360p-" + video), STARVED_BITS_PER_SECOND,
                List.of(new StillVideo.Shot(scaled(course.frame(), 640, 360), 1)));
        // Streamed 360p spends 500-1000 kbit/s; this second gets well under that.
        assertThat(Files.size(file) * 8).as("bits for one second").isLessThan(320_000);
        ExtractedFrame frame = extract(file);
        assertThat(frame.width()).isEqualTo(640);
        assertThat(frame.height()).isEqualTo(360);
        assertThat(recognize("360p " + video, frame, everyone).outcome()).isEqualTo(course.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("courseVideos")
    void mirrored(String video) throws Exception {
        Course course = COURSE.get(video);
        BufferedImage flipped = blank(course.frame().getWidth(), course.frame().getHeight());
        Graphics2D g = flipped.createGraphics();
        g.drawImage(course.frame(), flipped.getWidth(), 0, -flipped.getWidth(), flipped.getHeight(), null);
        g.dispose();
        Path file = StillVideo.write(dir.resolve("mirrored-" + video), PHONE_BITS_PER_SECOND,
                List.of(new StillVideo.Shot(flipped, 1)));
        assertThat(recognize("mirrored " + video, extract(file), everyone).outcome()).isEqualTo(course.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("courseVideos")
    void smallFaceInAWideShot(String video) throws Exception {
        Course course = COURSE.get(video);
        BufferedImage wide = blank(WIDE_WIDTH, WIDE_HEIGHT);
        Graphics2D g = canvas(wide);
        double scale = SMALLEST_FACE / course.face().width();
        int width = (int) Math.round(course.frame().getWidth() * scale);
        int height = (int) Math.round(course.frame().getHeight() * scale);
        g.drawImage(course.frame(), (WIDE_WIDTH - width) / 2, (WIDE_HEIGHT - height) / 2, width, height, null);
        g.dispose();
        Path file = StillVideo.write(dir.resolve("wide-" + video), PHONE_BITS_PER_SECOND,
                List.of(new StillVideo.Shot(wide, 1)));
        Recognition recognition = recognize("face " + SMALLEST_FACE + " px of 1920, " + video, extract(file), everyone);
        assertThat(recognition.outcome()).isEqualTo(course.name());
    }

    /** The larger face is 1.5 times as wide as the smaller; both are known, on either side. */
    @ParameterizedTest(name = "larger {0}, smaller {1}, larger on the left: {2}")
    @CsvSource({"test_8.mp4,test_2.mp4,true", "test_2.mp4,test_8.mp4,false", "test_4.mp4,test_7.mp4,true"})
    void twoPeopleTheLargerFaceIsNamed(String larger, String smaller, boolean largerOnLeft) throws Exception {
        Path file = twoFaces(COURSE.get(larger), COURSE.get(smaller), largerOnLeft);
        Recognition recognition = recognize("two faces, larger " + larger, extract(file), everyone);
        assertThat(recognition.faces()).hasSize(2);
        assertThat(recognition.outcome()).isEqualTo(COURSE.get(larger).name());
        assertThat(recognition.primary()).isZero();
    }

    @Test
    void aStrangerNearerTheCameraDoesNotHideAKnownPerson() throws Exception {
        Course stranger = COURSE.get("test_7.mp4");
        Course known = COURSE.get("test_8.mp4");
        Path file = twoFaces(stranger, known, false);
        Recognition recognition = recognize("stranger " + stranger.name() + " larger", extract(file),
                without(stranger.name()));
        assertThat(recognition.faces()).hasSize(2);
        assertThat(recognition.faces().get(0).match().matched()).as("the stranger's face").isFalse();
        assertThat(recognition.outcome()).isEqualTo(known.name());
        assertThat(recognition.primary()).isEqualTo(1);
    }

    /**
     * test_1's first frame is found with a score of 0.59 against the detector's 0.5: re-encoded as it is, upright
     * (H.264 at 2-16 Mbit/s, or JPEG at quality 0.75), it comes out NoFace, so it cannot show whether a turn is right.
     */
    static Stream<String> framesThatSurviveAReencode() {
        return courseVideos().filter(video -> !video.equals("test_1.mp4"));
    }

    /** The stored picture is the frame turned a quarter counter-clockwise; the display matrix turns it back. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("framesThatSurviveAReencode")
    void rotatedPhoneVideo(String video) throws Exception {
        Course course = COURSE.get(video);
        Path file = StillVideo.write(dir.resolve("portrait-" + video), PHONE_BITS_PER_SECOND,
                List.of(new StillVideo.Shot(turnedCounterClockwise(course.frame()), 1)));
        TestVideos.rotate90Clockwise(file);
        ExtractedFrame frame = extract(file);
        assertThat(frame.video().rotation()).isEqualTo(90);
        assertThat(frame.width()).isEqualTo(course.frame().getWidth());
        assertThat(frame.height()).isEqualTo(course.frame().getHeight());
        assertThat(recognize("rotated " + video, frame, everyone).outcome()).isEqualTo(course.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("courseVideos")
    void blackFirstSecond(String video) throws Exception {
        Course course = COURSE.get(video);
        BufferedImage black = blank(course.frame().getWidth(), course.frame().getHeight());
        Path file = StillVideo.write(dir.resolve("black-intro-" + video), PHONE_BITS_PER_SECOND,
                List.of(new StillVideo.Shot(black, 1), new StillVideo.Shot(course.frame(), 1)));
        ExtractedFrame frame = extract(file);
        assertThat(frame.blank()).isFalse();
        assertThat(frame.keyframesDecoded()).isEqualTo(2);
        assertThat(frame.timeSeconds()).isCloseTo(1.0, within(0.01));
        assertThat(recognize("black intro " + video, frame, everyone).outcome()).isEqualTo(course.name());
    }

    /**
     * Three of the people whose nearest other enrolled person is well beyond 0.6. (Biden is not: without him, test_1's
     * face is Trump's at 0.59; Trump and Floki are at 0.61 and 0.60.)
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test_2.mp4", "test_7.mp4", "test_8.mp4"})
    void aPersonNotEnrolledIsUnknown(String video) throws Exception {
        Course course = COURSE.get(video);
        Recognition recognition = recognize(course.name() + " not enrolled",
                extract(SharedData.seedVideo(video)), without(course.name()));
        assertThat(recognition.outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void aLandscapeHasNoFace() throws Exception {
        Path file = StillVideo.write(dir.resolve("landscape.mp4"), PHONE_BITS_PER_SECOND,
                List.of(new StillVideo.Shot(landscape(1280, 720), 1)));
        ExtractedFrame frame = extract(file);
        assertThat(frame.blank()).as("a picture with content").isFalse();
        assertThat(recognize("landscape", frame, everyone).outcome()).isEqualTo(Outcome.NO_FACE);
    }

    private static ExtractedFrame extract(Path video) throws Exception {
        try (FileSource source = FileSource.open(video)) {
            return EXTRACTOR.extract(source);
        }
    }

    private static Recognition recognize(String variant, ExtractedFrame frame, Matcher matcher) {
        Recognition recognition = recognizer.recognize(frame.jpeg(), matcher);
        StringBuilder faces = new StringBuilder();
        for (RecognizedFace face : recognition.faces()) {
            faces.append(String.format(" [%.0f px, score %.2f, %s %.3f]", face.face().detection().box().width(),
                    face.face().detection().score(), face.match().name(), face.match().distance()));
        }
        System.out.printf("%-36s -> %s%s%n", variant, recognition.outcome(), faces);
        return recognition;
    }

    /** The seed gallery less one person, enrolled from a copy of the other people's folders. */
    private static Matcher without(String person) throws IOException {
        Matcher matcher = WITHOUT.get(person);
        if (matcher == null) {
            Path photos = Files.createDirectories(dir.resolve("gallery-without-" + person));
            try (Stream<Path> people = Files.list(gallery)) {
                for (Path folder : people.filter(Files::isDirectory)
                        .filter(p -> !p.getFileName().toString().equals(person)).toList()) {
                    Path copy = Files.createDirectories(photos.resolve(folder.getFileName().toString()));
                    try (Stream<Path> files = Files.list(folder)) {
                        for (Path photo : files.toList()) {
                            Files.copy(photo, copy.resolve(photo.getFileName().toString()));
                        }
                    }
                }
            }
            matcher = new Matcher(new Enroller(analyzer).enroll(photos).gallery(), Matcher.DEFAULT_THRESHOLD);
            assertThat(matcher.gallery().people()).hasSize(COURSE.size() - 1);
            WITHOUT.put(person, matcher);
        }
        return matcher;
    }

    /**
     * A 1920x1080 shot of two people side by side, each face centred in its half: the smaller {@link #SMALLEST_FACE}
     * wide, the larger 1.5 times that.
     */
    private static Path twoFaces(Course larger, Course smaller, boolean largerOnLeft) throws IOException {
        BufferedImage shot = blank(WIDE_WIDTH, WIDE_HEIGHT);
        Graphics2D g = canvas(shot);
        int half = WIDE_WIDTH / 2;
        paintFace(g, larger, SMALLEST_FACE * 1.5, largerOnLeft ? 0 : half, half);
        paintFace(g, smaller, SMALLEST_FACE, largerOnLeft ? half : 0, half);
        g.dispose();
        String name = "two-" + larger.name() + "-" + smaller.name() + (largerOnLeft ? "-left.mp4" : "-right.mp4");
        return StillVideo.write(dir.resolve(name), PHONE_BITS_PER_SECOND, List.of(new StillVideo.Shot(shot, 1)));
    }

    /** The frame scaled so that its face is {@code faceWidth} wide, centred in the strip {@code [left, left+width)}. */
    private static void paintFace(Graphics2D g, Course course, double faceWidth, int left, int width) {
        double scale = faceWidth / course.face().width();
        double faceX = (course.face().x() + course.face().width() / 2) * scale;
        double faceY = (course.face().y() + course.face().height() / 2) * scale;
        g.setClip(left, 0, width, WIDE_HEIGHT);
        g.drawImage(course.frame(), (int) Math.round(left + width / 2.0 - faceX),
                (int) Math.round(WIDE_HEIGHT / 2.0 - faceY), (int) Math.round(course.frame().getWidth() * scale),
                (int) Math.round(course.frame().getHeight() * scale), null);
        g.setClip(null);
    }

    /** Hills under a sky, with grass as noise: structure and texture, but nothing like a face. */
    private static BufferedImage landscape(int width, int height) {
        BufferedImage picture = blank(width, height);
        Graphics2D g = picture.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(70, 130, 210), 0, height / 2f, new Color(190, 220, 245)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(255, 230, 150));
        g.fillOval(width * 3 / 4, height / 10, height / 8, height / 8);
        Random random = new Random(7);
        Color[] ranges = {new Color(110, 120, 140), new Color(80, 110, 80), new Color(60, 95, 50)};
        for (int range = 0; range < ranges.length; range++) {
            Polygon hills = new Polygon();
            hills.addPoint(0, height);
            for (int x = 0; x <= width; x += width / 16) {
                hills.addPoint(x, height * (3 + range) / 8 + random.nextInt(height / 8));
            }
            hills.addPoint(width, height);
            g.setColor(ranges[range]);
            g.fillPolygon(hills);
        }
        g.dispose();
        for (int y = height * 3 / 4; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int shade = random.nextInt(60);
                picture.setRGB(x, y, new Color(40 + shade / 2, 80 + shade, 30).getRGB());
            }
        }
        return picture;
    }

    private static BufferedImage blank(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    }

    /** A neutral grey picture to draw scaled frames on. */
    private static Graphics2D canvas(BufferedImage picture) {
        Graphics2D g = picture.createGraphics();
        g.setColor(NEUTRAL);
        g.fillRect(0, 0, picture.getWidth(), picture.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        return g;
    }

    private static BufferedImage scaled(BufferedImage picture, int width, int height) {
        BufferedImage result = blank(width, height);
        Graphics2D g = canvas(result);
        g.drawImage(picture, 0, 0, width, height, null);
        g.dispose();
        return result;
    }

    /** Pixel by pixel, so that turning it back clockwise gives the frame exactly. */
    private static BufferedImage turnedCounterClockwise(BufferedImage picture) {
        int width = picture.getWidth();
        BufferedImage turned = blank(picture.getHeight(), width);
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < width; x++) {
                turned.setRGB(y, width - 1 - x, picture.getRGB(x, y));
            }
        }
        return turned;
    }

    private static BufferedImage decode(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }
}
