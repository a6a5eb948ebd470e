package dev.facerec.recognition.model;

import dev.facerec.recognition.RgbImage;
import dev.facerec.recognition.samples.SamplePhotos;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The inputs of the SsdMobilenetv1 reference fixture ({@code ssd-mobilenetv1.json}), made from the sample photos the
 * build bundles: whole photos, crops and shrunken copies, to cover group photos, close-ups, faces cut by the image
 * border, wide and tall frames and small faces. Made with integer arithmetic only, so the test rebuilds the exact
 * pixels that face-api saw; {@link #main} writes them as PNGs for {@code src/test/node/ssd-fixture.mjs}.
 */
final class SsdFixtureImages {

    /**
     * Sample photo {@code sample}, cut to {@code x, y, width, height} (null: the whole photo), then shrunk by
     * {@code shrink} (each {@code shrink x shrink} block averaged, rounded; 1: unchanged).
     */
    record FixtureImage(String name, int sample, int[] crop, int shrink) {

        String file() {
            return name + ".png";
        }

        RgbImage image() {
            RgbImage photo = RgbImage.decode(SamplePhotos.jpeg(sample));
            RgbImage cut = crop == null ? photo : cut(photo, crop[0], crop[1], crop[2], crop[3]);
            return shrink == 1 ? cut : shrunk(cut, shrink);
        }
    }

    static final List<FixtureImage> ALL = List.of(
        new FixtureImage("sample1", 1, null, 1),
        new FixtureImage("sample2", 2, null, 1),
        new FixtureImage("sample3", 3, null, 1),
        new FixtureImage("sample4", 4, null, 1),
        new FixtureImage("sample5", 5, null, 1),
        new FixtureImage("sample6", 6, null, 1),
        // The left face of sample1, cut at about its detection box: a close-up with no margin.
        new FixtureImage("sample1-face-tight", 1, new int[] {414, 355, 178, 238}, 1),
        // The left woman of sample3 with a face's margin: a tall frame (padded on the right), one large face.
        new FixtureImage("sample3-portrait", 3, new int[] {485, 229, 400, 560}, 1),
        // The right man of sample2 cut through his face by the left border: a box reaching past the image.
        new FixtureImage("sample2-cut-left", 2, new int[] {1540, 0, 380, 700}, 1),
        // The top third of sample4: a 4:1 frame, three quarters of the square input padding.
        new FixtureImage("sample4-strip", 4, new int[] {0, 0, 1920, 480}, 1),
        // Small faces: sample5 at a quarter (faces about 40 px), sample6 at an eighth (about 25 px).
        new FixtureImage("sample5-quarter", 5, null, 4),
        new FixtureImage("sample6-eighth", 6, null, 8));

    private SsdFixtureImages() {
    }

    static RgbImage cut(RgbImage image, int x, int y, int width, int height) {
        byte[] rgb = image.rgb();
        byte[] out = new byte[width * height * 3];
        for (int row = 0; row < height; row++) {
            System.arraycopy(rgb, ((y + row) * image.width() + x) * 3, out, row * width * 3, width * 3);
        }
        return new RgbImage(width, height, out);
    }

    /** Each {@code factor x factor} block to its rounded mean; a partial last row or column of blocks is dropped. */
    static RgbImage shrunk(RgbImage image, int factor) {
        int width = image.width() / factor;
        int height = image.height() / factor;
        int block = factor * factor;
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            sum += image.sample(x * factor + dx, y * factor + dy, ch);
                        }
                    }
                    out[(y * width + x) * 3 + ch] = (byte) ((sum + block / 2) / block);
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    /** Writes every fixture image as {@code <dir>/<name>.png} (8-bit RGB), the reference script's input. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (FixtureImage fixture : ALL) {
            RgbImage image = fixture.image();
            BufferedImage png = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
            byte[] rgb = image.rgb();
            int[] pixel = new int[3];
            for (int y = 0; y < image.height(); y++) {
                for (int x = 0; x < image.width(); x++) {
                    int at = (y * image.width() + x) * 3;
                    pixel[0] = rgb[at] & 0xff;
                    pixel[1] = rgb[at + 1] & 0xff;
                    pixel[2] = rgb[at + 2] & 0xff;
                    png.getRaster().setPixel(x, y, pixel);
                }
            }
            Path file = dir.resolve(fixture.file());
            if (!ImageIO.write(png, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
            System.out.println(file + " " + image.width() + "x" + image.height());
        }
    }
}
