package dev.facerec.recognition.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.recognition.Box;
import dev.facerec.recognition.RgbImage;
import org.junit.jupiter.api.Test;

class SquareImageTest {

    /** Red = 10 * y + x + 1, green = 100, blue = 200. */
    private static RgbImage image(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * 3;
                rgb[o] = (byte) (10 * y + x + 1);
                rgb[o + 1] = 100;
                rgb[o + 2] = (byte) 200;
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static float[] red(SquareImage square) {
        float[] hwc = square.pixels();
        float[] red = new float[hwc.length / 3];
        for (int i = 0; i < red.length; i++) {
            red[i] = hwc[3 * i];
        }
        return red;
    }

    private static SquareImage whole(RgbImage image, int size, SquareImage.Padding padding) {
        return SquareImage.fromRegion(image, new Box(0, 0, image.width(), image.height()), size, padding);
    }

    @Test
    void centredPaddingPutsTheLargerHalfAfter() {
        assertThat(red(whole(image(3, 1), 3, SquareImage.Padding.CENTRED)))
            .containsExactly(0, 0, 0, 1, 2, 3, 0, 0, 0);
        // an odd difference: Math.round(0.5) = 1 row after, none before
        assertThat(red(whole(image(2, 1), 2, SquareImage.Padding.CENTRED))).containsExactly(1, 2, 0, 0);
        assertThat(red(whole(image(1, 2), 2, SquareImage.Padding.CENTRED))).containsExactly(1, 0, 11, 0);
    }

    @Test
    void endPaddingPutsAllZerosAfter() {
        assertThat(red(whole(image(3, 1), 3, SquareImage.Padding.END))).containsExactly(1, 2, 3, 0, 0, 0, 0, 0, 0);
        assertThat(red(whole(image(1, 3), 3, SquareImage.Padding.END))).containsExactly(1, 0, 0, 11, 0, 0, 21, 0, 0);
    }

    @Test
    void resizesWithoutAlignedCornersOrHalfPixelCentres() {
        // 3 -> 2: source = 1.5 * destination, so row/column 1 interpolates halfway between 1 and 2
        SquareImage out = whole(image(3, 3), 2, SquareImage.Padding.END);
        assertThat(red(out)).containsExactly(1, 2.5f, 16, 17.5f);
        assertThat(out.pixels()).startsWith(1, 100, 200);
    }

    @Test
    void cropsTheRegion() {
        SquareImage out = SquareImage.fromRegion(image(3, 3), new Box(1, 1, 2, 2), 2, SquareImage.Padding.CENTRED);
        assertThat(red(out)).containsExactly(12, 13, 22, 23);
    }

    @Test
    void rejectsRegionsThatAreNotWholePixelsInsideTheImage() {
        RgbImage img = image(3, 3);
        assertThatThrownBy(() -> SquareImage.fromRegion(img, new Box(0.5, 0, 2, 2), 2, SquareImage.Padding.END))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SquareImage.fromRegion(img, new Box(2, 2, 2, 2), 2, SquareImage.Padding.END))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SquareImage.of(2, new float[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
