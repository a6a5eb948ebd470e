package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RgbImageTest {

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    @Test
    void pngWithAlphaKeepsTheRawRgbSamples() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_4BYTE_ABGR);
        argb.getRaster().setPixel(0, 0, new int[] {10, 20, 30, 0}); // fully transparent: colour must survive
        argb.getRaster().setPixel(1, 0, new int[] {200, 150, 100, 255});
        RgbImage image = RgbImage.decode(encode(argb, "png"));
        assertThat(image.width()).isEqualTo(2);
        assertThat(image.height()).isEqualTo(1);
        assertThat(image.rgb()).containsExactly(10, 20, 30, (byte) 200, (byte) 150, 100);
    }

    @Test
    void greyPngRepeatsTheSampleWithoutColourConversion() throws IOException {
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 77);
        assertThat(RgbImage.decode(encode(grey, "png")).rgb()).containsExactly(77, 77, 77);
    }

    @Test
    void palettePngAndJpegDecode() throws IOException {
        BufferedImage indexed = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(0, 0, 0xff0000);
        assertThat(RgbImage.decode(encode(indexed, "png")).rgb()).containsExactly((byte) 255, 0, 0);

        BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                rgb.setRGB(x, y, 0x3c78b4);
            }
        }
        RgbImage jpeg = RgbImage.decode(encode(rgb, "jpg"));
        assertThat(jpeg.sample(8, 8, 0)).isCloseTo(0x3c, within(3));
        assertThat(jpeg.sample(8, 8, 1)).isCloseTo(0x78, within(3));
        assertThat(jpeg.sample(8, 8, 2)).isCloseTo(0xb4, within(3));
    }

    @Test
    void isImmutable() {
        byte[] rgb = {1, 2, 3};
        RgbImage image = new RgbImage(1, 1, rgb);
        rgb[0] = 9;
        image.rgb()[1] = 9;
        assertThat(image.rgb()).containsExactly(1, 2, 3);
    }

    @Test
    void mirroredSwapsLeftAndRight() {
        RgbImage image = new RgbImage(3, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18});
        RgbImage mirrored = image.mirrored();
        assertThat(mirrored.width()).isEqualTo(3);
        assertThat(mirrored.height()).isEqualTo(2);
        assertThat(mirrored.rgb()).containsExactly(7, 8, 9, 4, 5, 6, 1, 2, 3, 16, 17, 18, 13, 14, 15, 10, 11, 12);
        assertThat(mirrored.mirrored().rgb()).containsExactly(image.rgb());
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new RgbImage(2, 2, new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RgbImage(0, 1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RgbImage.decode(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * 32 bytes that ImageIO takes for a BMP whose colour palette has a negative size: its reader throws
     * NegativeArraySizeException when asked for the size, which the recogniser did not take for a refusal. Found by
     * ImageDecodingFuzzTest (docs/RELIABILITY.md, "Fuzzing").
     */
    @Test
    void aReaderFaultOnACorruptImageIsARefusal() {
        byte[] bitmap = Base64.getDecoder().decode("Qk0BQE0kQQAAAAAAAAAMAAAAAE0AAgABAQAAAAELAJ4=");
        assertThatThrownBy(() -> ImageProbe.check(bitmap)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header cannot be read").hasMessageContaining("NegativeArraySizeException");
        assertThatThrownBy(() -> RgbImage.decode(bitmap)).isInstanceOf(UncheckedIOException.class);
    }
}
