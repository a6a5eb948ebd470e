package dev.facerec.splitter.core;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * The extractor's inverse: writes an H.264 mp4 (FFmpeg's libopenh264 encoder) that shows still pictures one after
 * another, with a keyframe every second; a video as an upload would hold it, built from photos ({@code faas demo}) or
 * from a picture a test has painted.
 */
public final class StillVideo {
    public static final int FPS = 10;

    /** {@code seconds} of one picture; every picture of a video has the size of the first. */
    public record Shot(BufferedImage picture, double seconds) {
    }

    static {
        // The encoder and muxer would print their settings and warnings on stderr for every video.
        FFmpegLog.install();
    }

    private StillVideo() {
    }

    public static Path write(Path file, int bitsPerSecond, List<Shot> shots) throws IOException {
        BufferedImage first = shots.get(0).picture();
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), first.getWidth(), first.getHeight(), 0);
        recorder.setFormat("mp4");
        recorder.setVideoCodecName("libopenh264");
        recorder.setFrameRate(FPS);
        recorder.setGopSize(FPS);
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setVideoBitrate(bitsPerSecond);
        // openh264's default "quality" mode may spend more than the bitrate asks; "bitrate" holds it to the target.
        recorder.setVideoOption("rc_mode", "bitrate");
        try (Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.start();
            for (Shot shot : shots) {
                Frame frame = converter.convert(shot.picture());
                for (int i = 0; i < Math.round(shot.seconds() * FPS); i++) {
                    recorder.record(frame);
                }
            }
            recorder.stop();
        } finally {
            recorder.release();
        }
        return file;
    }
}
