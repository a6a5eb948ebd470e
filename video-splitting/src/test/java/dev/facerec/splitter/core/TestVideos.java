package dev.facerec.splitter.core;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Makes real videos for tests with FFmpeg's encoders: a picture with a red block in its top-left corner (so that
 * orientation can be checked) over moving gradients, optionally after a black intro.
 */
public final class TestVideos {
    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;

    /** How to write one video: container, encoder, frame rate, GoP length and muxer options. */
    public record Spec(String format, String encoder, double fps, int gop, Map<String, String> muxerOptions,
                       Map<String, String> encoderOptions) {
        public Spec(String format, String encoder, double fps, int gop, Map<String, String> muxerOptions) {
            this(format, encoder, fps, gop, muxerOptions, Map.of());
        }

        /** MPEG-4 Part 2 with two B-frames between references: decoding order is not display order. */
        public static Spec mp4WithBFrames() {
            return new Spec("mp4", "mpeg4", 25, 25, Map.of(), Map.of("bf", "2"));
        }

        public static Spec mp4MoovAtEnd() {
            return new Spec("mp4", "libopenh264", 25, 25, Map.of());
        }

        public static Spec mp4FastStart() {
            return new Spec("mp4", "libopenh264", 25, 25, Map.of("movflags", "+faststart"));
        }

        public static Spec mov() {
            return new Spec("mov", "mpeg4", 25, 25, Map.of());
        }

        public static Spec mkv() {
            return new Spec("matroska", "libopenh264", 25, 25, Map.of());
        }

        public static Spec webm() {
            return new Spec("webm", "libvpx", 25, 25, Map.of());
        }

        public static Spec avi() {
            return new Spec("avi", "mpeg4", 25, 25, Map.of());
        }

        /** FLV1, the Sorenson Spark of old Flash videos. */
        public static Spec flv() {
            return new Spec("flv", "flv", 25, 25, Map.of());
        }

        public static Spec flvH264() {
            return new Spec("flv", "libopenh264", 25, 25, Map.of());
        }

        public static Spec mpegts() {
            return new Spec("mpegts", "libopenh264", 25, 25, Map.of());
        }
    }

    private TestVideos() {
    }

    /** {@code seconds} of video of which the first {@code blackSeconds} are black. */
    public static Path write(Path file, Spec spec, double seconds, double blackSeconds) throws IOException {
        return write(file, spec, seconds, blackSeconds, WIDTH, HEIGHT);
    }

    /** The same picture at another size. */
    public static Path write(Path file, Spec spec, double seconds, double blackSeconds, int width, int height)
            throws IOException {
        return write(file, spec, seconds, blackSeconds, width, height, 0);
    }

    /** The same with non-square pixels: {@code pixelAspect} (width over height of a pixel; 0 for none stated). */
    public static Path write(Path file, Spec spec, double seconds, double blackSeconds, int width, int height,
                             double pixelAspect) throws IOException {
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        recorder.setAspectRatio(pixelAspect);
        recorder.setFormat(spec.format());
        recorder.setVideoCodecName(spec.encoder());
        recorder.setFrameRate(spec.fps());
        recorder.setGopSize(spec.gop());
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setVideoBitrate(400_000);
        spec.muxerOptions().forEach(recorder::setOption);
        spec.encoderOptions().forEach(recorder::setVideoOption);
        try {
            recorder.start();
            int frames = (int) Math.round(seconds * spec.fps());
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < frames; i++) {
                paint(frame, i, i < blackSeconds * spec.fps());
                recorder.record(frame, AV_PIX_FMT_BGR24);
            }
            recorder.stop();
        } finally {
            recorder.release();
        }
        return file;
    }

    /** One second of the picture with an AAC sound track, in an mp4. */
    public static Path withSound(Path file) throws IOException {
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 1);
        recorder.setFormat("mp4");
        recorder.setVideoCodecName("libopenh264");
        recorder.setFrameRate(25);
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setAudioCodec(AV_CODEC_ID_AAC);
        recorder.setSampleRate(44100);
        try {
            recorder.start();
            Frame frame = new Frame(WIDTH, HEIGHT, Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < 25; i++) {
                paint(frame, i, false);
                recorder.record(frame, AV_PIX_FMT_BGR24);
            }
            recorder.recordSamples(ShortBuffer.wrap(new short[44100]));
            recorder.stop();
        } finally {
            recorder.release();
        }
        return file;
    }

    /** An mp4 holding only an AAC audio track. */
    public static Path audioOnly(Path file) throws IOException {
        return audioOnly(file, "mp4");
    }

    /** A file of the given container holding only an AAC audio track. */
    public static Path audioOnly(Path file, String format) throws IOException {
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), 1);
        recorder.setFormat(format);
        recorder.setAudioCodec(AV_CODEC_ID_AAC);
        recorder.setSampleRate(44100);
        try {
            recorder.start();
            short[] samples = new short[44100];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) (8000 * Math.sin(i * 2 * Math.PI * 440 / 44100));
            }
            recorder.recordSamples(ShortBuffer.wrap(samples));
            recorder.stop();
        } finally {
            recorder.release();
        }
        return file;
    }

    /** An mp4 whose video track holds no frame. */
    public static Path noFrames(Path file) throws IOException {
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0);
        recorder.setFormat("mp4");
        recorder.setVideoCodecName("mpeg4");
        recorder.setFrameRate(25);
        try {
            recorder.start();
            recorder.stop();
        } finally {
            recorder.release();
        }
        return file;
    }

    /**
     * Marks the (first) track of an mp4 as shot by a phone held upright: the tkhd matrix tells players to turn the
     * stored landscape picture 90 degrees clockwise, as an iPhone's portrait video does.
     */
    public static void rotate90Clockwise(Path mp4) throws IOException {
        byte[] bytes = Files.readAllBytes(mp4);
        int tkhd = indexOf(bytes, "tkhd".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (tkhd < 4) {
            throw new IOException("no tkhd box in " + mp4);
        }
        int boxStart = tkhd - 4;
        int version = bytes[tkhd + 4];
        int matrix = boxStart + (version == 1 ? 60 : 48);
        ByteBuffer m = ByteBuffer.wrap(bytes, matrix, 36);
        int[] rotate90 = {0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000};
        for (int value : rotate90) {
            m.putInt(value);
        }
        Files.write(mp4, bytes);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void paint(Frame frame, int index, boolean black) {
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        int width = frame.imageWidth;
        int height = frame.imageHeight;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * stride + x * 3;
                if (black) {
                    pixels.put(i, (byte) 0).put(i + 1, (byte) 0).put(i + 2, (byte) 0);
                } else if (x < width / 4 && y < height / 4) {
                    pixels.put(i, (byte) 20).put(i + 1, (byte) 20).put(i + 2, (byte) 230); // red (BGR)
                } else {
                    pixels.put(i, (byte) ((x + index * 3) & 0xff))
                            .put(i + 1, (byte) ((y * 2 + index) & 0xff))
                            .put(i + 2, (byte) ((x ^ y) & 0x7f));
                }
            }
        }
    }
}
