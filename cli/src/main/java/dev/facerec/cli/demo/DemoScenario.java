package dev.facerec.cli.demo;

import dev.facerec.common.Outcome;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Face;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.RgbImage;
import dev.facerec.recognition.samples.SamplePhotos;
import dev.facerec.splitter.core.FrameSampling;
import dev.facerec.splitter.core.StillVideo;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * What {@code faas demo} shows, made from the face-api package's group photos that the jar carries
 * ({@link SamplePhotos}): two people enrolled from a face cut out of a photo, and seven videos made from those photos with
 * FFmpeg, each with the answer it should get and why.
 *
 * <p>It shows the pipeline's mechanics, not its accuracy: an enrolled person is recognised in a video of the very photo
 * their face was cut from, at another scale. How well faces from other photos are told apart is what
 * {@code faas evaluate} measures.
 */
public final class DemoScenario {
    private static final int BITS_PER_SECOND = 2_000_000;

    /** A person enrolled from one face of a sample photo: the {@code faceFromLeft}-th face found, counting from 0. */
    public record Enrolment(String name, int sample, int faceFromLeft, String who) {
    }

    /** An uploaded video, the outcome it should get, and why. */
    public record Video(String name, Path file, String expected, String why) {
    }

    /** The folders written: {@code photos/<Name>/*.jpg} to enrol, and the videos to upload. */
    public record Written(Path photos, List<Enrolment> enrolled, List<Video> videos) {
    }

    static final List<Enrolment> ENROLLED = List.of(
            new Enrolment("sample6-burgundy", 6, 1, "sample6.jpg, the second woman from the left (burgundy dress)"),
            new Enrolment("sample3-blonde", 3, 0, "sample3.jpg, the woman on the left (curly blonde hair)"));

    private DemoScenario() {
    }

    /**
     * Cuts the enrolment faces (found with {@code analyzer}) and writes the videos under {@code dir}, each expecting
     * what the splitter's sampling {@code frames} makes of it.
     */
    public static Written write(Path dir, FaceAnalyzer analyzer, FrameSampling.Mode frames) throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Path videos = Files.createDirectories(dir.resolve("videos"));
        List<Box> faces = new ArrayList<>();
        for (Enrolment person : ENROLLED) {
            BufferedImage photo = photo(person.sample());
            Box face = faceFromLeft(analyzer, person.sample(), person.faceFromLeft());
            faces.add(face);
            Path folder = Files.createDirectories(photos.resolve(person.name()));
            // The face and as much around it again on each side, from the 1920 px original.
            ImageIO.write(around(photo, face, 2.5), "jpeg", folder.resolve("cut-from-sample" + person.sample()
                    + ".jpg").toFile());
        }
        Enrolment burgundy = ENROLLED.get(0);
        Enrolment blonde = ENROLLED.get(1);
        Box blondeFace = faces.get(1);
        BufferedImage sample3 = photo(3);
        BufferedImage group3 = scaled(sample3, 960);
        List<Video> list = List.of(
                video(videos, "group-sample6.mp4", burgundy.name(),
                        "sample6.jpg whole at 1280 px (she was enrolled from the 1920 px photo): the only enrolled "
                                + "person in it; the faces of the other three stay Unknown",
                        shot(scaled(photo(6), 1280), 2)),
                video(videos, "closeup-sample3.mp4", blonde.name(),
                        "a close-up of sample3.jpg around her, 640 px wide: a larger face than in the group",
                        shot(scaled(around(sample3, blondeFace, 4), 640), 2)),
                video(videos, "fade-in-sample3.mp4", blonde.name(),
                        "the first keyframe is black; the splitter skips it and takes the next, at 1 s: sample3.jpg "
                                + "whole at 960 px",
                        shot(black(group3.getWidth(), group3.getHeight()), 1), shot(group3, 2)),
                video(videos, "strangers-sample1.mp4", Outcome.UNKNOWN,
                        "sample1.jpg at 1280 px: three faces, none of them enrolled",
                        shot(scaled(photo(1), 1280), 2)),
                video(videos, "staircase-sample5.mp4", Outcome.NO_FACE,
                        "the staircase railing in the top-left corner of sample5.jpg: a picture with no face",
                        shot(scaled(photo(5).getSubimage(0, 0, 420, 760), 420), 2)),
                story(videos, frames, burgundy, blonde, sample3, blondeFace),
                notAVideo(videos.resolve("notes.mp4")));
        return new Written(photos, ENROLLED, list);
    }

    /**
     * Who is in the whole video: a black opening, strangers, one enrolled woman, then the other for longer. The first
     * keyframe with a picture shows strangers only: that is all {@code first} sees.
     */
    private static Video story(Path dir, FrameSampling.Mode frames, Enrolment burgundy, Enrolment blonde,
                               BufferedImage sample3, Box blondeFace) throws IOException {
        int width = 1280;
        int height = 1024;
        boolean whole = frames == FrameSampling.Mode.KEYFRAMES;
        return video(dir, "story-timeline.mp4", whole ? burgundy.name() : Outcome.UNKNOWN,
                "2 s of black, 2 s of sample1.jpg (strangers), 2 s of the close-up of " + blonde.name() + ", 3 s of "
                        + "sample6.jpg with " + burgundy.name() + ": "
                        + (whole ? "with --frames keyframes every keyframe is seen; she is in the most frames"
                                : "the first keyframe with a picture shows strangers; --frames keyframes sees them "
                                        + "all and names " + burgundy.name()),
                shot(black(width, height), 2), shot(fitted(photo(1), width, height), 2),
                shot(fitted(around(sample3, blondeFace, 4), width, height), 2),
                shot(fitted(photo(6), width, height), 3));
    }

    /** The picture scaled to fit {@code width} x {@code height}, centred on black. */
    private static BufferedImage fitted(BufferedImage picture, int width, int height) {
        double scale = Math.min((double) width / picture.getWidth(), (double) height / picture.getHeight());
        int w = (int) Math.round(picture.getWidth() * scale);
        int h = (int) Math.round(picture.getHeight() * scale);
        BufferedImage canvas = black(width, height);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(picture, (width - w) / 2, (height - h) / 2, w, h, null);
        g.dispose();
        return canvas;
    }

    private static Video notAVideo(Path file) throws IOException {
        Files.writeString(file, "Shopping list: milk, eggs, a video camera.\n", StandardCharsets.UTF_8);
        return new Video(file.getFileName().toString(), file, Outcome.ERROR,
                "a text file named .mp4: the splitter refuses it and the record says why");
    }

    private static Video video(Path dir, String name, String expected, String why, StillVideo.Shot... shots)
            throws IOException {
        Path file = StillVideo.write(dir.resolve(name), BITS_PER_SECOND, List.of(shots));
        return new Video(name, file, expected, why);
    }

    private static StillVideo.Shot shot(BufferedImage picture, double seconds) {
        return new StillVideo.Shot(picture, seconds);
    }

    private static Box faceFromLeft(FaceAnalyzer analyzer, int sample, int index) {
        List<Face> faces = analyzer.analyze(RgbImage.decode(SamplePhotos.jpeg(sample)));
        List<Box> boxes = faces.stream().map(f -> f.detection().box())
                .sorted(Comparator.comparingDouble(Box::x)).toList();
        if (boxes.size() <= index) {
            throw new IllegalStateException("the demo expects at least " + (index + 1) + " faces in "
                    + SamplePhotos.name(sample) + ", the detector found " + boxes.size());
        }
        return boxes.get(index);
    }

    private static BufferedImage photo(int sample) {
        try {
            return ImageIO.read(new ByteArrayInputStream(SamplePhotos.jpeg(sample)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A square around the box's centre, {@code times} its longer side, within the picture. */
    private static BufferedImage around(BufferedImage picture, Box box, double times) {
        double side = Math.max(box.width(), box.height()) * times;
        int x = (int) Math.max(0, box.x() + box.width() / 2 - side / 2);
        int y = (int) Math.max(0, box.y() + box.height() / 2 - side / 2);
        return picture.getSubimage(x, y, (int) Math.min(picture.getWidth() - x, side),
                (int) Math.min(picture.getHeight() - y, side));
    }

    /** {@code picture} at {@code width}, with even sides (H.264 in 4:2:0 wants them). */
    private static BufferedImage scaled(BufferedImage picture, int width) {
        int height = (int) Math.round(picture.getHeight() * (double) width / picture.getWidth()) & ~1;
        BufferedImage scaled = new BufferedImage(width & ~1, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(picture, 0, 0, scaled.getWidth(), height, null);
        g.dispose();
        return scaled;
    }

    private static BufferedImage black(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    }
}
