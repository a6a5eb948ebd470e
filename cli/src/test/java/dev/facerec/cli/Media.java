package dev.facerec.cli;

import dev.facerec.recognition.samples.SamplePhotos;
import dev.facerec.splitter.core.StillVideo;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Videos and photos made for a test, from the photos bundled with the recogniser: nothing beside the project. */
final class Media {
    private Media() {
    }

    /** {@code sample<number>.jpg}, three to five people. */
    static BufferedImage samplePhoto(int number) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(SamplePhotos.jpeg(number)));
    }

    /** A small grey picture: a video of it splits quickly, and shows no face. */
    static BufferedImage grey() {
        BufferedImage picture = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, picture.getWidth(), picture.getHeight());
        g.dispose();
        return picture;
    }

    /** One second of {@code picture}, as an H.264 mp4. */
    static Path video(Path file, BufferedImage picture) throws IOException {
        Files.createDirectories(file.getParent());
        return StillVideo.write(file, 2_000_000, List.of(new StillVideo.Shot(picture, 1)));
    }

    static Path image(Path file, BufferedImage picture, String format) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(picture, format, file.toFile());
        return file;
    }
}
