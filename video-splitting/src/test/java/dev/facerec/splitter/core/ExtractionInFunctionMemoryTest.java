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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Extractions in a JVM of their own, sized as the splitter is on Lambda ({@code -XX:MaxRAM} = its {@code MemorySize},
 * which sets the heap as Lambda's memory would: a quarter, 256 MB), on the function's own class path. The whole
 * process's peak (heap and FFmpeg's native buffers) is read while it lives. What this does not prove: Lambda's own
 * JVM flags, or a hard cap on native memory (the process is not confined).
 */
class ExtractionInFunctionMemoryTest {
    private static final String FUNCTION = "video-splitting";

    @TempDir
    static Path dir;

    /** Writes a crafted file. */
    interface Bomb {
        Path write(Path file) throws IOException;
    }

    /** What one extraction said (null if its JVM died first), how its JVM ended, and its peak resident memory. */
    record Extraction(String result, int exit, long peakMb, List<String> output) {
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
        Extraction extraction = extractAlone(video, "-XX:MaxRAM=" + memoryMb + "m");
        System.out.printf("%s (%s, %d bytes): %s; exit %d; peak resident memory %d MB of the function's %d MB%n",
                description, name, Files.size(video), extraction.result(), extraction.exit(), extraction.peakMb(),
                memoryMb);
        assertThat(extraction.result()).as("what the extraction said; its JVM's output:%n%s",
                String.join("\n", extraction.output())).isEqualTo(ExtractOneFrame.REFUSED + reason);
        assertThat(extraction.exit()).isZero();
        assertThat(extraction.peakMb()).as("peak resident memory, MB").isLessThan(memoryMb);
    }

    /**
     * The largest picture accepted (7680x4320, 100 MB as BGR), as stored and as a phone's portrait video (turned as
     * it is copied), within 160 MB of heap: the rest of the function's 256 MB is left to what else an invocation holds
     * (clients, the video's blocks read so far, the JPEG).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"landscape,false,7680x4320", "portrait,true,4320x7680"})
    void theLargestVideoAcceptedIsExtractedWithRoomLeftInTheSplittersHeap(String name, boolean portrait,
                                                                           String frameSize) throws Exception {
        Path video = TestVideos.write(dir.resolve(name + "-8k.mov"), TestVideos.Spec.mov(), 0.08, 0, 7680, 4320);
        if (portrait) {
            TestVideos.rotate90Clockwise(video);
        }
        int memoryMb = LambdaMemory.memorySizeMb(FUNCTION);
        Extraction extraction = extractAlone(video, "-XX:MaxRAM=" + memoryMb + "m", "-Xmx160m");
        System.out.printf("8K %s in a 160 MB heap: %s; peak resident memory %d MB of the function's %d MB%n", name,
                extraction.result(), extraction.peakMb(), memoryMb);
        assertThat(extraction.result()).as("what the extraction said; its JVM's output:%n%s",
                String.join("\n", extraction.output())).isEqualTo(ExtractOneFrame.FRAME + frameSize);
        assertThat(extraction.peakMb()).as("peak resident memory, MB").isLessThan(memoryMb);
    }

    /** Runs {@link ExtractOneFrame} on the video in a JVM started with {@code jvmOptions}; waits for it to end. */
    private static Extraction extractAlone(Path video, String... jvmOptions) throws IOException, InterruptedException {
        Path module = SharedData.projectRoot().resolve(FUNCTION);
        String classPath = String.join(File.pathSeparator, module.resolve("target/classes").toString(),
                module.resolve("target/lib").resolve("*").toString(), module.resolve("target/test-classes").toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath, ExtractOneFrame.class.getName(), video.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
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
        return new Extraction(result, child.waitFor(), peakMb, output);
    }
}
