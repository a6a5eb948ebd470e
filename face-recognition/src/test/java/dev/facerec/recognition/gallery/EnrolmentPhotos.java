package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Box;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.RgbImage;
import dev.facerec.recognition.SampleFaces;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Enrolment photos as people take them, made from the bundled sample photos ({@link SampleFaces}): a portrait, the
 * same blurred or shrunk, two people side by side, one person before others.
 */
public final class EnrolmentPhotos {
    private EnrolmentPhotos() {
    }

    /** sample {@code number}'s {@code faceFromLeft}-th face with {@code margin} times its width and height around. */
    public static BufferedImage portrait(FaceAnalyzer analyzer, int number, int faceFromLeft, double margin) {
        return rgb(SampleFaces.portrait(analyzer, number, faceFromLeft, margin));
    }

    /** The face box of sample {@code number}'s {@code faceFromLeft}-th face, in the sample. */
    public static Box face(FaceAnalyzer analyzer, int number, int faceFromLeft) {
        return SampleFaces.leftToRight(analyzer.analyze(RgbImage.fromBufferedImage(SampleFaces.photo(number))))
                .get(faceFromLeft).detection().box();
    }

    /** {@code picture} through a Gaussian blur of standard deviation {@code sigma} pixels. */
    public static BufferedImage blurred(BufferedImage picture, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] weights = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            weights[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += weights[i + radius];
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= sum;
        }
        // Edges left as they are: the face is in the middle.
        BufferedImage across = new ConvolveOp(new Kernel(weights.length, 1, weights), ConvolveOp.EDGE_NO_OP, null)
                .filter(rgb(picture), null);
        return new ConvolveOp(new Kernel(1, weights.length, weights), ConvolveOp.EDGE_NO_OP, null)
                .filter(across, null);
    }

    /** {@code picture} with its sides times {@code scale}. */
    public static BufferedImage scaled(BufferedImage picture, double scale) {
        BufferedImage out = new BufferedImage(Math.max(1, (int) Math.round(picture.getWidth() * scale)),
                Math.max(1, (int) Math.round(picture.getHeight() * scale)), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(picture, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    /** The pictures side by side on grey, their bottoms lined up, in the order given. */
    public static BufferedImage sideBySide(List<BufferedImage> pictures) {
        int width = pictures.stream().mapToInt(BufferedImage::getWidth).sum();
        int height = pictures.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage picture : pictures) {
            g.drawImage(picture, x, height - picture.getHeight(), null);
            x += picture.getWidth();
        }
        g.dispose();
        return out;
    }

    public static Path writeJpeg(Path file, BufferedImage picture) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(rgb(picture), "jpeg", file.toFile())) {
                throw new IOException("no JPEG writer");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage rgb(BufferedImage picture) {
        if (picture.getType() == BufferedImage.TYPE_INT_RGB) {
            return picture;
        }
        BufferedImage out = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(picture, 0, 0, null);
        g.dispose();
        return out;
    }
}
