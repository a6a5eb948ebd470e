package dev.facerec.splitter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.common.io.FileSource;
import dev.facerec.common.io.RandomAccessSource;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.common.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FrameExtractorTest {
    @TempDir
    static Path dir;

    static final FrameExtractor EXTRACTOR = new FrameExtractor();

    @BeforeAll
    static void natives() {
        FrameExtractor.loadNatives();
    }

    static ExtractedFrame extract(Path video) throws Exception {
        try (FileSource source = FileSource.open(video)) {
            return EXTRACTOR.extract(source);
        }
    }

    static BufferedImage decode(byte[] jpeg) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(image).as("JPEG decodes").isNotNull();
        return image;
    }

    /** Display sizes as ffprobe reports them (all square pixels, no rotation). */
    @ParameterizedTest
    @CsvSource({"test_0.mp4,1280,720", "test_1.mp4,1920,1080", "test_2.mp4,1280,720", "test_4.mp4,854,480",
            "test_5.mp4,1920,1080", "test_6.mp4,1280,720", "test_7.mp4,1280,720", "test_8.mp4,1920,1080"})
    void courseVideosGiveTheirFirstKeyframeAtDisplaySize(String name, int width, int height) throws Exception {
        ExtractedFrame frame = extract(SharedData.seedVideo(name));
        BufferedImage image = decode(frame.jpeg());
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        assertThat(frame.timeSeconds()).isZero();
        assertThat(frame.blank()).isFalse();
        assertThat(frame.keyframesDecoded()).isEqualTo(1);
    }

    static Stream<Arguments> containers() {
        return Stream.of(
                Arguments.of("moov-at-end.mp4", TestVideos.Spec.mp4MoovAtEnd()),
                Arguments.of("faststart.mp4", TestVideos.Spec.mp4FastStart()),
                Arguments.of("clip.mov", TestVideos.Spec.mov()),
                Arguments.of("clip.mkv", TestVideos.Spec.mkv()),
                Arguments.of("clip.webm", TestVideos.Spec.webm()),
                Arguments.of("clip.avi", TestVideos.Spec.avi()),
                Arguments.of("spark.flv", TestVideos.Spec.flv()),
                Arguments.of("h264.flv", TestVideos.Spec.flvH264()),
                Arguments.of("clip.ts", TestVideos.Spec.mpegts()));
    }

    @ParameterizedTest
    @MethodSource("containers")
    void readsTheContainersPeopleUpload(String name, TestVideos.Spec spec) throws Exception {
        Path video = TestVideos.write(dir.resolve(name), spec, 2, 0);
        ExtractedFrame frame = extract(video);
        BufferedImage image = decode(frame.jpeg());
        assertThat(image.getWidth()).isEqualTo(TestVideos.WIDTH);
        assertThat(image.getHeight()).isEqualTo(TestVideos.HEIGHT);
        assertThat(isRed(image.getRGB(TestVideos.WIDTH / 8, TestVideos.HEIGHT / 8))).isTrue();
        assertThat(isRed(image.getRGB(TestVideos.WIDTH * 7 / 8, TestVideos.HEIGHT / 8))).isFalse();
    }

    @Test
    void skipsABlackIntroToTheFirstKeyframeWithContent() throws Exception {
        Path video = TestVideos.write(dir.resolve("black-intro.mp4"), TestVideos.Spec.mp4MoovAtEnd(), 4, 2);
        ExtractedFrame frame = extract(video);
        assertThat(frame.blank()).isFalse();
        assertThat(frame.timeSeconds()).isBetween(1.99, 2.01); // keyframes every second: 0 and 1 s are black
        assertThat(frame.keyframesDecoded()).isEqualTo(3);
        assertThat(isRed(decode(frame.jpeg()).getRGB(TestVideos.WIDTH / 8, TestVideos.HEIGHT / 8))).isTrue();
    }

    @Test
    void anAllBlackVideoStillGivesItsFirstFrameMarkedBlank() throws Exception {
        Path video = TestVideos.write(dir.resolve("all-black.mkv"), TestVideos.Spec.mkv(), 3, 3);
        ExtractedFrame frame = extract(video);
        assertThat(frame.blank()).isTrue();
        assertThat(frame.timeSeconds()).isZero();
        assertThat(frame.keyframesDecoded()).isEqualTo(3);
    }

    @Test
    void turnsAPhoneVideoUpright() throws Exception {
        Path video = TestVideos.write(dir.resolve("portrait.mp4"), TestVideos.Spec.mp4FastStart(), 1, 0);
        TestVideos.rotate90Clockwise(video);
        ExtractedFrame frame = extract(video);
        assertThat(frame.video().rotation()).isEqualTo(90);
        BufferedImage image = decode(frame.jpeg());
        assertThat(image.getWidth()).isEqualTo(TestVideos.HEIGHT);
        assertThat(image.getHeight()).isEqualTo(TestVideos.WIDTH);
        // The stored top-left corner is the viewer's top-right once turned clockwise.
        int w = image.getWidth();
        int h = image.getHeight();
        assertThat(isRed(image.getRGB(w * 7 / 8, h / 8))).isTrue();
        assertThat(isRed(image.getRGB(w / 8, h / 8))).isFalse();
    }

    @Test
    void readsAFewPercentOfASixtySecondVideo() throws Exception {
        TestVideos.Spec tenSecondGop = new TestVideos.Spec("mp4", "libopenh264", 25, 250, java.util.Map.of());
        Path video = TestVideos.write(dir.resolve("sixty-seconds.mp4"), tenSecondGop, 60, 0);
        try (FileSource source = FileSource.open(video)) {
            ExtractedFrame frame = EXTRACTOR.extract(source);
            assertThat(frame.timeSeconds()).isZero();
            long size = Files.size(video);
            // The moov index sits at the end: FFmpeg reads it, then only the first GoP's opening packets.
            assertThat(source.bytesFetched()).isLessThan(size / 10);
            System.out.printf("60 s video: read %d of %d bytes (%.1f%%)%n", source.bytesFetched(), size,
                    100.0 * source.bytesFetched() / size);
        }
    }

    @Test
    void refusesAPictureLargerThanTheLimitBeforeDecodingIt() throws Exception {
        Path video = TestVideos.write(dir.resolve("big.mp4"), TestVideos.Spec.mp4FastStart(), 1, 0);
        FrameExtractor strict = new FrameExtractor(new FrameExtractor.Options(10, 12,
                (long) TestVideos.WIDTH * TestVideos.HEIGHT - 1, 0.9f));
        try (FileSource source = FileSource.open(video)) {
            assertThatThrownBy(() -> strict.extract(source)).isInstanceOf(UnusableVideoException.class)
                    .hasMessageContaining("320x240, above the limit");
            // The header said it all: not a frame was decoded, only the first bytes read.
            assertThat(source.bytesFetched()).isLessThan(Files.size(video));
        }
    }

    @Test
    void refusesAHeaderThatClaimsAnAbsurdPictureBeforeDecodingIt() throws Exception {
        Path video = TestVideos.write(dir.resolve("bomb.mp4"), TestVideos.Spec.mp4FastStart(), 1, 0);
        byte[] bytes = Files.readAllBytes(video);
        // The width and height of the avc1 sample entry (16 bits each, 28 bytes after the box type; "avc1" is also
        // a brand in ftyp, hence the search for the one that holds 320x240), as a crafted upload would set them:
        // 65535x65535, 4.3 gigapixels.
        int width = sampleEntrySize(bytes, "avc1", TestVideos.WIDTH, TestVideos.HEIGHT);
        Arrays.fill(bytes, width, width + 4, (byte) 0xff);
        Path bomb = Files.write(dir.resolve("bomb-65535.mp4"), bytes);

        try (FileSource source = FileSource.open(bomb)) {
            assertThatThrownBy(() -> EXTRACTOR.extract(source)).isInstanceOf(UnusableVideoException.class)
                    .hasMessageContaining("65535x65535, above the limit");
        }
    }

    @Test
    void refusesAHeaderThatClaimsTwoBillionFrames() throws Exception {
        Path video = TestVideos.write(dir.resolve("frames.mp4"), TestVideos.Spec.mp4FastStart(), 1, 0);
        byte[] bytes = Files.readAllBytes(video);
        // stsz: box type, version and flags (4), default sample size (4), then the sample count (4).
        int stsz = TestVideos.indexOf(bytes, "stsz".getBytes(StandardCharsets.US_ASCII));
        assertThat(stsz).as("stsz box").isPositive();
        int count = stsz + 4 + 4 + 4;
        assertThat(ByteBuffer.wrap(bytes, count, 4).getInt()).isEqualTo(25); // one second at 25 fps
        ByteBuffer.wrap(bytes, count, 4).putInt(Integer.MAX_VALUE);
        Path bomb = Files.write(dir.resolve("frames-2147483647.mp4"), bytes);

        try (FileSource source = FileSource.open(bomb)) {
            // Refused as a corrupt header: its index of 2^31 sample sizes would need 8 GiB.
            assertThatThrownBy(() -> EXTRACTOR.extract(source)).isInstanceOf(UnusableVideoException.class)
                    .hasMessageContaining("its header is corrupt");
        }
    }

    @Test
    void aFrameLargerThanItsHeaderIsJudgedByTheSizeItDecodesTo() throws Exception {
        // The header says 64x64; the MJPEG frame inside says 640x480, and the decoder believes the frame.
        Path video = BombVideos.mjpegAviLargerThanItsHeader(dir.resolve("small-header.avi"), 64, 640, 480);
        ExtractedFrame frame = extract(video);
        assertThat(frame.video().codedWidth()).as("the header's width").isEqualTo(64);
        assertThat(decode(frame.jpeg()).getWidth()).isEqualTo(640);

        FrameExtractor strict = new FrameExtractor(new FrameExtractor.Options(10, 12, 640 * 480 - 1, 0.9f));
        try (FileSource source = FileSource.open(video)) {
            assertThatThrownBy(() -> strict.extract(source)).isInstanceOf(UnusableVideoException.class)
                    .hasMessage("the decoded picture is 640x480, above the limit of 307199 pixels");
        }
    }

    @Test
    void aFrameLargerThanFFmpegWillSizeAtAllIsRefusedWithItsSize() throws Exception {
        // Its planes would pass 2 GiB: FFmpeg refuses it whatever max_pixels says, and says so only in its log.
        Path video = BombVideos.mjpegAviLargerThanItsHeader(dir.resolve("30000.avi"), 640, 30000, 30000);
        assertThatThrownBy(() -> extract(video)).isInstanceOf(UnusableVideoException.class)
                .hasMessage("the decoded picture is 30000x30000, above the limit of 33177600 pixels");
    }

    @Test
    void widensAPictureByItsPixelAspectRatioUpToTheLimit() throws Exception {
        Path video = BombVideos.movWithPixelAspect(dir.resolve("anamorphic.mov"), 2, 1);
        BufferedImage image = decode(extract(video).jpeg());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(480);

        FrameExtractor strict = new FrameExtractor(new FrameExtractor.Options(10, 12, 1280 * 480 - 1, 0.9f));
        try (FileSource source = FileSource.open(video)) {
            assertThatThrownBy(() -> strict.extract(source)).isInstanceOf(UnusableVideoException.class)
                    .hasMessage("the video is 1280x480 once its pixel aspect ratio 2:1 is applied, above the limit of "
                            + "614399 pixels");
        }
    }

    @Test
    void refusesAPixelAspectRatioThatWouldSqueezeThePictureToNothing() throws Exception {
        Path video = BombVideos.movWithPixelAspect(dir.resolve("thin.mov"), 1, 100000);
        assertThatThrownBy(() -> extract(video)).isInstanceOf(UnusableVideoException.class)
                .hasMessage("the pixel aspect ratio 1:100000 is outside 1:10 to 10:1");
    }

    @Test
    void aPixelAspectRatioThatOnlyTheBitstreamStatesIsCheckedOnceDecoded() throws Exception {
        // MPEG-TS has no aspect ratio of its own: this one is in the H.264 stream's VUI, seen only by the decoder.
        Path video = TestVideos.write(dir.resolve("vui-255.ts"), TestVideos.Spec.mpegts(), 1, 0, 640, 480, 255);
        assertThatThrownBy(() -> extract(video)).isInstanceOf(UnusableVideoException.class)
                .hasMessage("the pixel aspect ratio 255:1 is outside 1:10 to 10:1");
    }

    /** Where the width of the visual sample entry {@code type} that says {@code width x height} is. */
    private static int sampleEntrySize(byte[] file, String type, int width, int height) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at + 32 <= file.length; at++) {
            if (Arrays.equals(file, at, at + 4, name, 0, 4)) {
                int size = at + 28;
                if (uint16(file, size) == width && uint16(file, size + 2) == height) {
                    return size;
                }
            }
        }
        throw new AssertionError("no " + type + " sample entry of " + width + "x" + height);
    }

    private static int uint16(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }

    @Test
    void refusesAnEmptyFile() throws Exception {
        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        assertThatThrownBy(() -> extract(empty)).isInstanceOf(UnusableVideoException.class)
                .hasMessage("the object is empty");
    }

    @Test
    void refusesTextNamedMp4() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "just some notes, not a video\n".repeat(50));
        assertThatThrownBy(() -> extract(text)).isInstanceOf(UnusableVideoException.class)
                .hasMessage("cannot open as a video: not a container FFmpeg recognises, or its header is corrupt");
    }

    @Test
    void refusesAJpegNamedMp4() throws Exception {
        byte[] jpeg = extract(SharedData.seedVideo("test_4.mp4")).jpeg();
        Path fake = Files.write(dir.resolve("photo.mp4"), jpeg);
        assertThatThrownBy(() -> extract(fake)).isInstanceOf(UnusableVideoException.class)
                .hasMessageStartingWith("not a video container");
    }

    @Test
    void refusesATruncatedVideo() throws Exception {
        byte[] whole = Files.readAllBytes(SharedData.seedVideo("test_0.mp4"));
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(whole, 2000)); // inside the moov box
        assertThatThrownBy(() -> extract(cut)).isInstanceOf(UnusableVideoException.class);
        Path moovAtEnd = TestVideos.write(dir.resolve("moov-end.mp4"), TestVideos.Spec.mp4MoovAtEnd(), 2, 0);
        byte[] bytes = Files.readAllBytes(moovAtEnd);
        Path noIndex = Files.write(dir.resolve("no-index.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> extract(noIndex)).isInstanceOf(UnusableVideoException.class);
    }

    @Test
    void refusesAudioWithoutVideo() throws Exception {
        Path audio = TestVideos.audioOnly(dir.resolve("song.mp4"));
        assertThatThrownBy(() -> extract(audio)).isInstanceOf(UnusableVideoException.class)
                .hasMessage("the file has no video stream");
    }

    @Test
    void refusesAnFlvWithOnlyAudio() throws Exception {
        // FLV's header lists no streams: only reading packets shows that none of them is video.
        Path audio = TestVideos.audioOnly(dir.resolve("song.flv"), "flv");
        assertThatThrownBy(() -> extract(audio)).isInstanceOf(UnusableVideoException.class)
                .hasMessage("the file has no video stream");
    }

    @Test
    void namesAVideoCodecThisBuildHasNoDecoderFor() throws Exception {
        // The H.264 track relabelled as MPEG-5 EVC (sample entry evc1): refused from the header, before decoding.
        Path evc = relabelVideoTrack(dir.resolve("evc.mp4"), "evc1");
        assertThatThrownBy(() -> extract(evc)).isInstanceOf(UnusableVideoException.class)
                .hasMessage("the video codec evc (MPEG-5 EVC (Essential Video Coding)) is not supported by this "
                        + "build's FFmpeg");
    }

    @Test
    void namesAVideoCodecFFmpegDoesNotKnow() throws Exception {
        Path unknown = relabelVideoTrack(dir.resolve("zzzz.mp4"), "zzzz");
        assertThatThrownBy(() -> extract(unknown)).isInstanceOf(UnusableVideoException.class)
                .hasMessage("the video codec 'zzzz' is unknown to FFmpeg");
    }

    @Test
    void aSoundTrackThisBuildCannotDecodeDoesNotCostTheVideo() throws Exception {
        byte[] bytes = Files.readAllBytes(TestVideos.withSound(dir.resolve("sound.mp4")));
        // The AAC track relabelled as AC-4, which JavaCV's FFmpeg has no decoder for; without its esds box, which
        // would make it AAC again.
        relabel(bytes, "mp4a", "ac-4");
        relabel(bytes, "esds", "free");
        Path video = Files.write(dir.resolve("ac-4.mp4"), bytes);
        BufferedImage image = decode(extract(video).jpeg());
        assertThat(isRed(image.getRGB(TestVideos.WIDTH / 8, TestVideos.HEIGHT / 8))).isTrue();
    }

    private static void relabel(byte[] mp4, String box, String as) {
        int at = TestVideos.indexOf(mp4, box.getBytes(StandardCharsets.US_ASCII));
        assertThat(at).as(box).isPositive();
        System.arraycopy(as.getBytes(StandardCharsets.US_ASCII), 0, mp4, at, 4);
    }

    @Test
    void aReadFailureInTheHeaderIsReportedAsOneNotAsAMissingStream() throws Exception {
        Path flv = TestVideos.write(dir.resolve("cut-off.flv"), TestVideos.Spec.flv(), 1, 0);
        // The store fails 200 bytes in, inside the metadata tag: FFmpeg sees an FLV without a stream.
        try (FileSource file = FileSource.open(flv); FailingAfter source = new FailingAfter(file, 200)) {
            assertThatThrownBy(() -> EXTRACTOR.extract(source)).isInstanceOf(SourceReadException.class)
                    .hasMessage("connection reset");
        }
    }

    /** A source whose store gives the first {@code limit} bytes, then fails. */
    private record FailingAfter(RandomAccessSource source, long limit) implements RandomAccessSource {
        @Override
        public long size() throws SourceReadException {
            return source.size();
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) throws SourceReadException {
            if (position >= limit) {
                throw new SourceReadException("connection reset", SourceReadException.Kind.TRANSIENT, null);
            }
            return source.read(position, buffer, offset, (int) Math.min(length, limit - position));
        }

        @Override
        public long bytesFetched() {
            return source.bytesFetched();
        }

        @Override
        public String description() {
            return source.description();
        }
    }

    /** An mp4 whose H.264 sample entry says {@code type} instead of avc1. */
    private static Path relabelVideoTrack(Path file, String type) throws IOException {
        Path video = TestVideos.write(file, TestVideos.Spec.mp4FastStart(), 1, 0);
        byte[] bytes = Files.readAllBytes(video);
        int entry = sampleEntrySize(bytes, "avc1", TestVideos.WIDTH, TestVideos.HEIGHT) - 28;
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, bytes, entry, 4);
        return Files.write(file, bytes);
    }

    @Test
    void refusesAVideoTrackWithoutFrames() throws Exception {
        Path empty = TestVideos.noFrames(dir.resolve("no-frames.mp4"));
        assertThatThrownBy(() -> extract(empty)).isInstanceOf(UnusableVideoException.class);
    }

    private static boolean isRed(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return r > 150 && g < 90 && b < 90;
    }

    /** Two GiB, the size of an upload that must not be read whole; sparse, so it costs no disk. */
    static final long TWO_GIB = 2L << 30;

    @Test
    void refusesTwoGibibytesOfNothingAfterReadingAFewBlocks() throws Exception {
        Path sparse = dir.resolve("sparse.mp4");
        try (var file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(TWO_GIB);
        }
        long start = System.nanoTime();
        try (FileSource source = FileSource.open(sparse)) {
            assertThatThrownBy(() -> EXTRACTOR.extract(source)).isInstanceOf(UnusableVideoException.class)
                    .hasMessageContaining("cannot open as a video");
            // What FFmpeg reads to recognise a container, and no more.
            assertThat(source.bytesFetched()).as("bytes read of 2 GiB").isLessThanOrEqualTo(1 << 20);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aVideoFollowedByTwoGibibytesGivesItsFrameFromItsFirstBytes() throws Exception {
        Path video = TestVideos.write(dir.resolve("padded.mp4"), TestVideos.Spec.mp4FastStart(), 2, 0);
        long videoBytes = Files.size(video);
        try (var file = new RandomAccessFile(video.toFile(), "rw")) {
            file.setLength(TWO_GIB);
        }
        try (FileSource source = FileSource.open(video)) {
            ExtractedFrame frame = EXTRACTOR.extract(source);
            assertThat(decode(frame.jpeg()).getWidth()).isEqualTo(TestVideos.WIDTH);
            assertThat(source.bytesFetched()).as("bytes read of 2 GiB").isLessThanOrEqualTo(videoBytes + (1 << 20));
        }
    }
}
