package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing a detector: names parse, and OpenCV and OpenBLAS (45 MB of jars) are loaded only when HAAR is chosen. Which native libraries a process holds is read from {@code /proc/self/maps}; the default analyzer runs in a
 * JVM of its own, since this one may have loaded OpenCV for other tests.
 */
class DetectorLoadingTest {

    @Test
    void namesParseInAnyCaseAndUnknownOnesListTheChoices() {
        assertThat(DetectorKind.parse("tiny")).isEqualTo(DetectorKind.TINY);
        assertThat(DetectorKind.parse(" HAAR ")).isEqualTo(DetectorKind.HAAR);
        assertThat(DetectorKind.parse("Tiny-Search")).isEqualTo(DetectorKind.TINY_SEARCH);
        assertThat(DetectorKind.parse("Ssd")).isEqualTo(DetectorKind.SSD);
        assertThat(DetectorKind.DEFAULT).isEqualTo(DetectorKind.TINY_SEARCH);
        assertThatThrownBy(() -> DetectorKind.parse("yolo")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unknown face detector 'yolo': expected one of tiny, tiny-search, haar, ssd");
        assertThatThrownBy(() -> DetectorKind.parse(null)).hasMessageContaining("expected one of tiny, tiny-search");
    }

    @Test
    void theDefaultAnalyzerNeverLoadsOpenCv(@TempDir Path dir) throws Exception {
        Path frame = Fixtures.file("images/test_8_f0.png");
        Path log = dir.resolve("probe.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            DefaultAnalyzerProbe.class.getName(), frame.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(child.isAlive()).as("probe still running after 120 s: %s", output).isFalse();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).as("the probe analyzed the frame").contains("faces=1");
        assertThat(output).contains("opencv-libraries=[]");
    }

    /** The probe's own check: once a Haar analyzer exists, OpenCV's libraries are in this process's map. */
    @Test
    void aHaarAnalyzerLoadsOpenCv() throws IOException {
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(DetectorKind.HAAR)) {
            assertThat(analyzer.analyze(Files.readAllBytes(Fixtures.file("images/test_8_f0.png")))).isNotEmpty();
        }
        assertThat(openCvLibraries()).anyMatch(lib -> lib.startsWith("libopencv_objdetect"))
            .anyMatch(lib -> lib.startsWith("libopenblas"));
    }

    /** OpenCV's and OpenBLAS's shared libraries (and their JavaCPP bridges) mapped into this process. */
    static List<String> openCvLibraries() throws IOException {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.map(line -> line.substring(line.lastIndexOf('/') + 1))
                .filter(name -> name.contains(".so") && (name.contains("opencv") || name.contains("openblas")))
                .distinct().sorted().toList();
        }
    }

    /** Run in a JVM of its own: the default analyzer on one frame, then what it loaded. */
    public static final class DefaultAnalyzerProbe {
        public static void main(String[] args) throws IOException {
            try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
                System.out.println("faces=" + analyzer.analyze(Files.readAllBytes(Path.of(args[0]))).size());
            }
            System.out.println("opencv-libraries=" + openCvLibraries());
        }
    }
}
