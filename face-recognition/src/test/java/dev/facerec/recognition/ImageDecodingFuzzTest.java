package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.facerec.common.testing.LastFuzzInput;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A frame's bytes as the recogniser takes them (FaceRecognitionService.recognizeOne): {@link ImageProbe#check} on the
 * header, then {@link RgbImage#decode}. Each input ends as a picture or a refusal the recogniser reports as "not a
 * usable image" ({@link IllegalArgumentException}, {@link UncheckedIOException}), in bounded time. Anything else
 * thrown is a finding. Seeded with small JPEGs and PNGs of each colour type.
 */
class ImageDecodingFuzzTest {
    /**
     * An 8K frame decodes in well under this much processor time; an input that takes more is a finding. Processor
     * time, not the clock's, so that a fuzzer at nice 19 on a busy machine reports no slowness of its own.
     */
    private static final Duration MAX_CPU = Duration.ofSeconds(10);
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    static Stream<byte[]> images() {
        return Stream.of(
                encode(picture(BufferedImage.TYPE_3BYTE_BGR), "jpeg", false),
                encode(picture(BufferedImage.TYPE_3BYTE_BGR), "jpeg", true),
                encode(picture(BufferedImage.TYPE_BYTE_GRAY), "jpeg", false),
                encode(picture(BufferedImage.TYPE_3BYTE_BGR), "png", false),
                encode(picture(BufferedImage.TYPE_BYTE_GRAY), "png", false),
                encode(picture(BufferedImage.TYPE_4BYTE_ABGR), "png", false),
                encode(picture(BufferedImage.TYPE_BYTE_INDEXED), "png", false));
    }

    private static BufferedImage picture(int type) {
        BufferedImage image = new BufferedImage(40, 30, type);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 150, 120, 200));
        g.fillOval(8, 4, 24, 22);
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 10, 8);
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    @MethodSource("images")
    @FuzzTest(maxDuration = "5s")
    void pictureOrRefusal(byte[] encoded) {
        LastFuzzInput.keep(ImageDecodingFuzzTest.class, encoded);
        long start = CPU.getCurrentThreadCpuTime();
        try {
            ImageProbe.check(encoded);
            RgbImage image = RgbImage.decode(encoded);
            assertThat((long) image.width() * image.height()).isLessThanOrEqualTo(ImageProbe.MAX_PIXELS);
        } catch (IllegalArgumentException | UncheckedIOException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        assertThat(Duration.ofNanos(CPU.getCurrentThreadCpuTime() - start)).isLessThan(MAX_CPU);
    }
}
