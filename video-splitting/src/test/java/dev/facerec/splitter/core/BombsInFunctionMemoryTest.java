package dev.facerec.splitter.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.testing.LambdaMemory;
import dev.facerec.common.testing.SharedData;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each decompression bomb extracted in a JVM of its own, sized as the splitter is on Lambda ({@code -XX:MaxRAM} =
 * its {@code MemorySize}, which sets the heap as Lambda's memory would), on the function's own class path: it must
 * end in the extractor's refusal, with the whole process's peak (heap and FFmpeg's native buffers) under that size.
 * What this does not prove: Lambda's own JVM flags, or a hard cap on native memory (the process is not confined).
 */
class BombsInFunctionMemoryTest {
    private static final String FUNCTION = "video-splitting";

    @TempDir
    static Path dir;

    /** Writes a crafted file. */
    interface Bomb {
        Path write(Path file) throws IOException;
    }

    static Stream<Arguments> bombs() {
        return Stream.of(
                Arguments.of("header 640x640, one 12000x12000 MJPEG frame",
                        (Bomb) file -> BombVideos.mjpegAviLargerThanItsHeader(file, 640, 12000, 12000), "12000.avi",
                        "the decoded picture is 12000x12000, above the limit of 33177600 pixels"),
                Arguments.of("pasp 100000:1", (Bomb) file -> BombVideos.movWithPixelAspect(file, 100000, 1),
                        "wide.mov", "the pixel aspect ratio 100000:1 is outside 1:10 to 10:1"),
                Arguments.of("pasp 1500:1", (Bomb) file -> BombVideos.movWithPixelAspect(file, 1500, 1),
                        "wider.mov", "the pixel aspect ratio 1500:1 is outside 1:10 to 10:1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bombs")
    void eachBombIsRefusedWithinTheSplittersMemory(String description, Bomb bomb, String name, String reason)
            throws Exception {
        Path video = bomb.write(dir.resolve(name));
        int memoryMb = LambdaMemory.memorySizeMb(FUNCTION);
        Process child = extractAlone(video, memoryMb);
        List<String> output = new ArrayList<>();
        String result = null;
        long peakMb = -1;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                if (line.startsWith(ExtractOneFrame.REFUSED) || line.startsWith(ExtractOneFrame.FRAME)) {
                    result = line;
                    peakMb = LambdaMemory.peakResidentMb(child); // still alive: it waits for its input to close
                    child.getOutputStream().close();
                }
            }
        }
        int exit = child.waitFor();
        System.out.printf("%s (%s, %d bytes): %s; exit %d; peak resident memory %d MB of the function's %d MB%n",
                description, name, Files.size(video), result, exit, peakMb, memoryMb);
        assertThat(result).as("what the extraction said; its JVM's output:%n%s", String.join("\n", output))
                .isEqualTo(ExtractOneFrame.REFUSED + reason);
        assertThat(exit).isZero();
        assertThat(peakMb).as("peak resident memory, MB").isLessThan(memoryMb);
    }

    private static Process extractAlone(Path video, int memoryMb) throws IOException {
        Path module = SharedData.projectRoot().resolve(FUNCTION);
        String classPath = String.join(File.pathSeparator, module.resolve("target/classes").toString(),
                module.resolve("target/lib").resolve("*").toString(), module.resolve("target/test-classes").toString());
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxRAM=" + memoryMb + "m", "-cp", classPath, ExtractOneFrame.class.getName(), video.toString())
                .redirectErrorStream(true).start();
    }
}
