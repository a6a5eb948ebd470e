package dev.facerec.splitter.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.facerec.common.Deadline;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.common.io.TimeLimitedSource;
import dev.facerec.common.testing.BytesSource;
import dev.facerec.common.testing.LastFuzzInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The splitter's core on any bytes at all: each input ends as frames or as a refusal ({@link UnusableVideoException},
 * or the deadline's {@link SourceReadException}) within its deadline. Anything else thrown, a hang, or a native crash
 * is a finding. Seeded with small real videos of every container the splitter takes (see docs/RELIABILITY.md).
 */
class FrameExtractorFuzzTest {
    /** What one input may take: the production path stops reading then. */
    private static final Duration BUDGET = Duration.ofSeconds(4);
    /**
     * The processor time one input may use: the budget, and the decode of what was read before it ended. Processor
     * time, not the clock's, so that a fuzzer at nice 19 on a busy machine reports no slowness of its own.
     */
    private static final Duration MAX_CPU = Duration.ofSeconds(10);

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final FrameExtractor EXTRACTOR = new FrameExtractor();
    private static final FrameSampling SAMPLING = FrameSampling.keyframes(0.2, 8);

    @BeforeAll
    static void natives() {
        FrameExtractor.loadNatives();
    }

    /** Small videos (64x48, 1.2 s, a keyframe every 0.4 s after a black start) in each container the splitter reads. */
    static Stream<byte[]> videos() {
        return Stream.of(
                new TestVideos.Spec("mp4", "libopenh264", 10, 4, Map.of()),
                new TestVideos.Spec("mp4", "libopenh264", 10, 4, Map.of("movflags", "+faststart")),
                new TestVideos.Spec("mov", "mpeg4", 10, 4, Map.of(), Map.of("bf", "2")),
                new TestVideos.Spec("matroska", "libopenh264", 10, 4, Map.of()),
                new TestVideos.Spec("webm", "libvpx", 10, 4, Map.of()),
                new TestVideos.Spec("avi", "mpeg4", 10, 4, Map.of()),
                new TestVideos.Spec("flv", "flv", 10, 4, Map.of()),
                new TestVideos.Spec("mpegts", "libopenh264", 10, 4, Map.of())).map(FrameExtractorFuzzTest::video);
    }

    private static byte[] video(TestVideos.Spec spec) {
        try {
            Path file = Files.createTempFile("seed", "." + spec.format());
            try {
                return Files.readAllBytes(TestVideos.write(file, spec, 1.2, 0.3, 64, 48));
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @MethodSource("videos")
    @FuzzTest(maxDuration = "10s")
    void framesOrRefusal(byte[] input) {
        LastFuzzInput.keep(FrameExtractorFuzzTest.class, input);
        long start = CPU.getCurrentThreadCpuTime();
        Deadline deadline = Deadline.ofRemaining(BUDGET.plus(Deadline.RESERVE));
        try {
            ExtractedFrame first = EXTRACTOR.extract(new TimeLimitedSource(new BytesSource(input), deadline));
            checkFrame(first);
            VideoSample sample = EXTRACTOR.sample(new TimeLimitedSource(new BytesSource(input), deadline), SAMPLING,
                    deadline, FrameExtractorFuzzTest::checkFrame);
            assertThat(sample.frames()).isBetween(1, SAMPLING.maxFrames());
        } catch (UnusableVideoException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        } catch (SourceReadException stopped) {
            assertThat(deadline.hasPassed()).as("only the deadline stops an in-memory source").isTrue();
        }
        // FFmpeg decodes on this thread (one decoding thread): its time is counted here.
        assertThat(Duration.ofNanos(CPU.getCurrentThreadCpuTime() - start)).isLessThan(MAX_CPU);
    }

    private static void checkFrame(ExtractedFrame frame) {
        assertThat(frame.width()).isPositive();
        assertThat(frame.height()).isPositive();
        assertThat((long) frame.width() * frame.height()).isLessThanOrEqualTo(
                FrameExtractor.Options.DEFAULTS.maxPixels());
        assertThat(frame.jpeg()).startsWith((byte) 0xff, (byte) 0xd8);
    }
}
