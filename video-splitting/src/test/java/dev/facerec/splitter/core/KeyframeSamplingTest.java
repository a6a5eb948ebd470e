package dev.facerec.splitter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.common.Deadline;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code FRAMES=keyframes}: keyframes through the whole video, by the container's index where it has one. */
class KeyframeSamplingTest {
    @TempDir
    static Path dir;

    /** FFmpeg's natives load on the first video. */
    static final FrameExtractor EXTRACTOR = FrameExtractorTest.EXTRACTOR;

    /** The frames and what the extractor says of them. */
    record Sampled(List<ExtractedFrame> frames, VideoSample sample, long bytesRead, long size) {
        List<Double> times() {
            return frames.stream().map(ExtractedFrame::timeSeconds).toList();
        }
    }

    static Sampled sample(Path video, FrameSampling sampling, Deadline stopBy) throws Exception {
        List<ExtractedFrame> frames = new ArrayList<>();
        try (FileSource source = FileSource.open(video)) {
            VideoSample sample = EXTRACTOR.sample(source, sampling, stopBy, frames::add);
            return new Sampled(frames, sample, source.bytesFetched(), Files.size(video));
        }
    }

    static Sampled sample(Path video, FrameSampling sampling) throws Exception {
        return sample(video, sampling, Deadline.none());
    }

    static void assertTimes(Sampled sampled, double... expected) {
        assertThat(sampled.times()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(sampled.times().get(i)).as("frame %d", i).isCloseTo(expected[i],
                    Offset.offset(0.02));
        }
    }

    static Stream<Arguments> containers() {
        return Stream.of(
                Arguments.of("clip.mp4", TestVideos.Spec.mp4MoovAtEnd(), true),
                Arguments.of("clip.mov", TestVideos.Spec.mov(), true),
                Arguments.of("clip.mkv", TestVideos.Spec.mkv(), true),
                Arguments.of("clip.webm", TestVideos.Spec.webm(), true),
                Arguments.of("clip.avi", TestVideos.Spec.avi(), true),
                Arguments.of("h264.flv", TestVideos.Spec.flvH264(), false),
                Arguments.of("clip.ts", TestVideos.Spec.mpegts(), false));
    }

    @ParameterizedTest
    @MethodSource("containers")
    void givesEveryKeyframeOncePerSecondInTimeOrder(String name, TestVideos.Spec spec, boolean indexed)
            throws Exception {
        Path video = TestVideos.write(dir.resolve(name), spec, 5, 0);
        Sampled sampled = sample(video, FrameSampling.keyframes(1, 120));
        assertTimes(sampled, 0, 1, 2, 3, 4);
        assertThat(sampled.sample().complete()).isTrue();
        assertThat(sampled.sample().frames()).isEqualTo(5);
        assertThat(sampled.sample().seeked()).as("the container's index used").isEqualTo(indexed);
        // Only the keyframes were decoded: one picture per second, not 25.
        assertThat(sampled.sample().keyframesDecoded()).isEqualTo(5);
        for (ExtractedFrame frame : sampled.frames()) {
            assertThat(ImageIO.read(new ByteArrayInputStream(frame.jpeg())).getWidth()).isEqualTo(TestVideos.WIDTH);
            assertThat(frame.blank()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"test_0.mp4", "test_1.mp4", "test_2.mp4", "test_4.mp4",
            "test_5.mp4", "test_6.mp4", "test_7.mp4", "test_8.mp4"})
    void aCourseVideoGivesTheFrameOfFirstSoTheWorkloadKeepsItsAnswers(String name) throws Exception {
        // The course clips are one group of pictures each (H.264 with B-frames): one keyframe, the frame of first.
        Path video = SharedData.seedVideo(name);
        Sampled sampled = sample(video, FrameSampling.keyframes());
        assertThat(sampled.frames()).hasSize(1);
        try (FileSource source = FileSource.open(video)) {
            assertThat(sampled.frames().get(0).jpeg()).isEqualTo(EXTRACTOR.extract(source).jpeg());
            // The keyframe and the few packets the decoder needs to let it out, as first reads: not the whole clip.
            assertThat(sampled.bytesRead()).isLessThanOrEqualTo(2 * source.bytesFetched() + 65536);
        }
    }

    @Test
    void aVideoWithBFramesIsSampledByItsKeyframes() throws Exception {
        // Keyframes presented at 0, 1.08, 2.04, 3.00, 3.96, 4.92 s (as ffprobe lists them); mp4's index holds their
        // decoding times, 0.12 s earlier. One per second takes every other one after the first, each read alone.
        Path video = TestVideos.write(dir.resolve("b-frames.mp4"), TestVideos.Spec.mp4WithBFrames(), 5, 0);
        Sampled sampled = sample(video, FrameSampling.keyframes(1, 120));
        assertThat(sampled.sample().seeked()).isTrue();
        assertThat(sampled.sample().keyframesDecoded()).isEqualTo(4);
        assertTimes(sampled, 0, 1.08, 3.00, 4.92);
    }

    @Test
    void takesAtMostOneKeyframePerInterval() throws Exception {
        Path video = TestVideos.write(dir.resolve("eight.mp4"), TestVideos.Spec.mp4FastStart(), 8, 0);
        assertTimes(sample(video, FrameSampling.keyframes(2, 120)), 0, 2, 4, 6);
        assertTimes(sample(video, FrameSampling.keyframes(2.5, 120)), 0, 3, 6);
    }

    @Test
    void spreadsMaxFramesOverTheWholeVideo() throws Exception {
        Path video = TestVideos.write(dir.resolve("spread.mp4"), TestVideos.Spec.mp4FastStart(), 9, 0);
        Sampled sampled = sample(video, FrameSampling.keyframes(1, 3));
        assertTimes(sampled, 0, 3, 6);
        assertThat(sampled.sample().complete()).as("the three frames cover the video").isTrue();
    }

    @Test
    void aVideoReadThroughIsSpreadByTheLengthFFmpegEstimates() throws Exception {
        // MPEG-TS has no index and states no length in a header; FFmpeg estimates one from its timestamps.
        Path video = TestVideos.write(dir.resolve("long.ts"), TestVideos.Spec.mpegts(), 6, 0);
        Sampled sampled = sample(video, FrameSampling.keyframes(1, 3));
        assertThat(sampled.sample().seeked()).isFalse();
        assertThat(sampled.sample().video().durationSeconds()).isCloseTo(6, Offset.offset(0.1));
        assertTimes(sampled, 0, 2, 4);
        assertThat(sampled.sample().complete()).isTrue();
    }

    @Test
    void passesOverBlankKeyframes() throws Exception {
        Path video = TestVideos.write(dir.resolve("fade-in.mp4"), TestVideos.Spec.mp4MoovAtEnd(), 5, 2);
        Sampled sampled = sample(video, FrameSampling.keyframes(1, 120));
        assertTimes(sampled, 2, 3, 4);
        assertThat(sampled.sample().keyframesDecoded()).isEqualTo(5);
    }

    @Test
    void anAllBlackVideoGivesItsFirstFrameMarkedBlank() throws Exception {
        Path video = TestVideos.write(dir.resolve("black.mkv"), TestVideos.Spec.mkv(), 3, 3);
        Sampled sampled = sample(video, FrameSampling.keyframes(1, 120));
        assertTimes(sampled, 0);
        assertThat(sampled.frames().get(0).blank()).isTrue();
    }

    @Test
    void seeksPastTheGroupsOfPicturesItDoesNotSample() throws Exception {
        Path video = TestVideos.write(dir.resolve("sixty.mp4"), TestVideos.Spec.mp4MoovAtEnd(), 60, 0);
        Sampled sampled = sample(video, FrameSampling.keyframes(10, 120));
        assertTimes(sampled, 0, 10, 20, 30, 40, 50);
        assertThat(sampled.sample().seeked()).isTrue();
        // Six keyframes of sixty: their bytes and the index, not the whole file.
        assertThat(sampled.bytesRead()).isLessThan(sampled.size() / 3);
        System.out.printf("60 s video, 6 keyframes: read %d of %d bytes (%.1f%%)%n", sampled.bytesRead(),
                sampled.size(), 100.0 * sampled.bytesRead() / sampled.size());
    }

    @Test
    void withBFramesEachSampleReadsItsKeyframeNotTheGroupOfPicturesBeforeIt() throws Exception {
        Path video = TestVideos.write(dir.resolve("b-frames-long.mp4"), TestVideos.Spec.mp4WithBFrames(), 30, 0);
        Sampled sampled = sample(video, FrameSampling.keyframes(10, 120));
        assertThat(sampled.frames()).hasSize(3);
        // 31 groups of pictures; reading the whole group before each of the three keyframes would be a tenth.
        assertThat(sampled.bytesRead()).isLessThan(sampled.size() / 20);
    }

    @Test
    void whenTheTimeIsUpWhatWasTakenStandsMarkedIncomplete() throws Exception {
        Path video = TestVideos.write(dir.resolve("late.mp4"), TestVideos.Spec.mp4FastStart(), 4, 0);
        Sampled sampled = sample(video, FrameSampling.keyframes(1, 120), Deadline.ofRemaining(Duration.ZERO));
        assertTimes(sampled, 0);
        assertThat(sampled.sample().complete()).isFalse();
        assertThat(sampled.sample().incompleteReason()).startsWith("the time ran out after 1 frames");
    }

    @Test
    void firstIsTheOneFrameOfExtract() throws Exception {
        Path video = TestVideos.write(dir.resolve("first.mp4"), TestVideos.Spec.mp4MoovAtEnd(), 4, 2);
        Sampled sampled = sample(video, FrameSampling.FIRST);
        assertTimes(sampled, 2);
        assertThat(sampled.sample().complete()).isTrue();
    }

    @Test
    void refusesWhatExtractRefuses() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video");
        assertThatThrownBy(() -> sample(text, FrameSampling.keyframes())).isInstanceOf(UnusableVideoException.class);
    }

    @Test
    void checksItsSettings() {
        assertThatThrownBy(() -> FrameSampling.keyframes(0, 10)).hasMessageContaining("interval");
        assertThatThrownBy(() -> FrameSampling.keyframes(1, 0)).hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> FrameSampling.keyframes(1, 1001)).hasMessageContaining("1 to 1000");
        assertThat(FrameSampling.Mode.parse(" KeyFrames ")).isEqualTo(FrameSampling.Mode.KEYFRAMES);
        assertThatThrownBy(() -> FrameSampling.Mode.parse("all")).hasMessageContaining("'first' or 'keyframes'");
    }
}
