package dev.facerec.splitter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UprightPictureTest {
    private static final int WIDTH = 3;
    private static final int HEIGHT = 2;
    private static final int STRIDE = WIDTH * 3 + 7; // padded rows, as a decoder's buffer may have

    /** A 3x2 picture whose pixel (x, y) is (blue, green, red) = (x, y, 100), its rows padded with 0xff. */
    private static ByteBuffer stored() {
        ByteBuffer pixels = ByteBuffer.allocateDirect(STRIDE * HEIGHT);
        for (int i = 0; i < pixels.capacity(); i++) {
            pixels.put(i, (byte) 0xff);
        }
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                pixels.put(y * STRIDE + x * 3, (byte) x).put(y * STRIDE + x * 3 + 1, (byte) y)
                        .put(y * STRIDE + x * 3 + 2, (byte) 100);
            }
        }
        return pixels;
    }

    /** The stored pixel an upright pixel shows, as "x,y". */
    private static String storedPixelAt(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y);
        assertThat((rgb >> 16) & 0xff).as("red").isEqualTo(100);
        return (rgb & 0xff) + "," + ((rgb >> 8) & 0xff);
    }

    /** Where the stored top-left and top-right corners land once turned clockwise. */
    @ParameterizedTest
    @CsvSource({"0,3,2,'0,0','2,0'", "90,2,3,'0,1','0,0'", "180,3,2,'2,1','0,1'", "270,2,3,'2,0','2,1'"})
    void turnsTheStoredPictureClockwiseAsItCopiesIt(int degrees, int width, int height, String topLeft,
                                                    String topRight) {
        BufferedImage image = UprightPicture.of(stored(), WIDTH, HEIGHT, STRIDE, 1.0, degrees);
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        assertThat(storedPixelAt(image, 0, 0)).isEqualTo(topLeft);
        assertThat(storedPixelAt(image, width - 1, 0)).isEqualTo(topRight);
    }

    @ParameterizedTest
    @CsvSource({"0,6,2", "90,2,6"})
    void widensByThePixelAspectRatioBeforeTurning(int degrees, int width, int height) {
        BufferedImage image = UprightPicture.of(stored(), WIDTH, HEIGHT, STRIDE, 2.0, degrees);
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
    }
}
