package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.Person;
import dev.facerec.recognition.samples.SamplePhotos;
import dev.facerec.splitter.core.StillVideo;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * People of the group photos the jar bundles ({@link SamplePhotos}), for the tests that need nothing beside the
 * project: a gallery of one of them, enrolled from a portrait cut out of her photo, and videos made of the photos.
 */
public final class SampleFaces {
    /** The photo the enrolled person is in: three women, each found by the detector. */
    public static final int ENROLLED_PHOTO = 3;
    /** The one person in {@link #gallery()}: the woman on the left of sample3 (the photos come without names). */
    public static final String ENROLLED = "sample3-left";
    /** Three women, none of them in sample3 (no person is in two photos): Unknown to {@link #gallery()}. */
    public static final int STRANGERS_PHOTO = 1;
    /** Enough for a still picture to keep its faces (a phone films 1080p at about 8 Mbit/s). */
    private static final int BITS_PER_SECOND = 4_000_000;

    /** The second person of {@link #twoPeople()}: the second woman from the left in sample6. */
    public static final String SECOND = "sample6-second";
    public static final int SECOND_PHOTO = 6;

    private static Gallery gallery;
    private static Gallery twoPeople;

    private SampleFaces() {
    }

    public static BufferedImage photo(int number) {
        try {
            return ImageIO.read(new ByteArrayInputStream(SamplePhotos.jpeg(number)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The faces of a picture from left to right, as a reader points at the people of a photo. */
    public static List<Face> leftToRight(List<Face> faces) {
        return faces.stream().sorted(Comparator.comparingDouble(f -> f.detection().box().x())).toList();
    }

    /**
     * {@link #ENROLLED} alone, enrolled with the real networks (once per test JVM) from a portrait cut around her face
     * with a face's width and height of margin on every side, as a photo of her alone would show her.
     */
    public static synchronized Gallery gallery() {
        if (gallery == null) {
            try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
                BufferedImage portrait = portrait(analyzer, ENROLLED_PHOTO, 0, 1);
                List<Face> portraitFaces = analyzer.analyze(RgbImage.fromBufferedImage(portrait));
                // A neighbour's face in the portrait would make the enrolled descriptor a matter of choice.
                assertThat(portraitFaces).as("faces in the portrait cut from sample%d", ENROLLED_PHOTO).hasSize(1);
                gallery = Gallery.of(List.of(new Person(ENROLLED, List.of(portraitFaces.get(0).descriptor()))));
            }
        }
        return gallery;
    }

    /** {@link #ENROLLED} and {@link #SECOND}, each enrolled from a portrait cut out of her photo. */
    public static synchronized Gallery twoPeople() {
        if (twoPeople == null) {
            try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
                List<Face> second = analyzer.analyze(RgbImage.fromBufferedImage(portrait(analyzer, SECOND_PHOTO, 1, 1)));
                assertThat(second).as("faces in the portrait cut from sample%d", SECOND_PHOTO).hasSize(1);
                twoPeople = Gallery.of(List.of(gallery().people().get(0),
                        new Person(SECOND, List.of(second.get(0).descriptor()))));
            }
        }
        return twoPeople;
    }

    /**
     * A video of the whole story of {@link #twoPeople()}: 2 s of black, 2 s of {@link #STRANGERS_PHOTO} (nobody
     * enrolled), 2 s of sample3 ({@link #ENROLLED} among strangers), 3 s of sample6 ({@link #SECOND} among strangers),
     * each photo fitted into 1280x1024; a keyframe every second.
     */
    public static Path story(Path file) throws IOException {
        BufferedImage black = new BufferedImage(1280, 1024, BufferedImage.TYPE_3BYTE_BGR);
        return StillVideo.write(file, BITS_PER_SECOND, List.of(new StillVideo.Shot(black, 2),
                new StillVideo.Shot(fitted(photo(STRANGERS_PHOTO)), 2),
                new StillVideo.Shot(fitted(photo(ENROLLED_PHOTO)), 2),
                new StillVideo.Shot(fitted(photo(SECOND_PHOTO)), 3)));
    }

    /** What {@link #story} shows when: the person, and the first and last keyframe that shows her. */
    public record Seen(String name, double firstSeconds, double lastSeconds) {
    }

    public static final List<Seen> STORY = List.of(new Seen("Unknown", 2, 8), new Seen(ENROLLED, 4, 5),
            new Seen(SECOND, 6, 8));

    /** The photo scaled to fit 1280x1024, centred on black. */
    private static BufferedImage fitted(BufferedImage photo) {
        BufferedImage canvas = new BufferedImage(1280, 1024, BufferedImage.TYPE_3BYTE_BGR);
        double scale = Math.min(1280.0 / photo.getWidth(), 1024.0 / photo.getHeight());
        int width = (int) Math.round(photo.getWidth() * scale);
        int height = (int) Math.round(photo.getHeight() * scale);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, (1280 - width) / 2, (1024 - height) / 2, width, height, null);
        g.dispose();
        return canvas;
    }

    /**
     * A portrait cut from sample {@code number} around its {@code faceFromLeft}-th face (from 0), with {@code margin}
     * times the face's width and height on every side.
     */
    public static BufferedImage portrait(FaceAnalyzer analyzer, int number, int faceFromLeft, double margin) {
        BufferedImage photo = photo(number);
        Box face = leftToRight(analyzer.analyze(RgbImage.fromBufferedImage(photo))).get(faceFromLeft).detection()
                .box();
        Box cut = new Box(face.x() - margin * face.width(), face.y() - margin * face.height(),
                (1 + 2 * margin) * face.width(), (1 + 2 * margin) * face.height())
                .clipToImage(photo.getWidth(), photo.getHeight());
        return photo.getSubimage((int) cut.x(), (int) cut.y(), (int) cut.width(), (int) cut.height());
    }

    /** A one-second H.264 mp4 of sample {@code number}, its sides scaled by {@code scale}. */
    public static Path video(Path file, int number, double scale) throws IOException {
        BufferedImage photo = photo(number);
        BufferedImage scaled = new BufferedImage(even(photo.getWidth() * scale), even(photo.getHeight() * scale),
                BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, 0, 0, scaled.getWidth(), scaled.getHeight(), null);
        g.dispose();
        return StillVideo.write(file, BITS_PER_SECOND, List.of(new StillVideo.Shot(scaled, 1)));
    }

    // H.264's 4:2:0 pictures have even sides.
    private static int even(double side) {
        return 2 * (int) Math.round(side / 2);
    }
}
