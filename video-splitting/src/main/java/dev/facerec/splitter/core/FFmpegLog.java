package dev.facerec.splitter.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * FFmpeg's log, for the whole process. Nothing is printed: FFmpeg would complain on stderr for every bad upload and
 * list its settings for every video encoded, while the outcome record says why a video is refused. One complaint is
 * kept: the size of a picture that a decoder refused to allocate (above {@code max_pixels}, or larger than FFmpeg will
 * size at all), which FFmpeg tells only its log (JavaCV's grabber then just finds no frame). It is kept per thread:
 * the extractor decodes on its caller's thread (one decoding thread, no frame threads), so each extraction sees its
 * own.
 */
final class FFmpegLog {
    /** A width and height as a decoder stated them. */
    record PictureSize(long width, long height) {
    }

    /**
     * av_image_check_size2's messages (FFmpeg 7.1): above max_pixels, or beyond the 2 GiB a picture's planes may take
     * at all. The extractor's tests fail if they change.
     */
    private static final Pattern REFUSED_SIZE = Pattern.compile(
            "Picture size (\\d{1,10})x(\\d{1,10}) (?:exceeds specified max pixel count|is invalid)");
    private static final ThreadLocal<PictureSize> REFUSED = new ThreadLocal<>();
    /** Referenced here for as long as FFmpeg may call it. */
    private static final LogCallback CALLBACK = new LogCallback() {
        @Override
        public void call(int level, BytePointer message) {
            Matcher refusal = REFUSED_SIZE.matcher(message.getString());
            if (refusal.find()) {
                REFUSED.set(new PictureSize(Long.parseLong(refusal.group(1)), Long.parseLong(refusal.group(2))));
            }
        }
    };

    private static boolean installed;

    private FFmpegLog() {
    }

    /** Makes FFmpeg's log quiet and watched, for the whole process; the first call does it. */
    static synchronized void install() {
        if (!installed) {
            // JavaCPP's bridge drops messages above this level before they reach Java: errors only, which are rare.
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            avutil.setLogCallback(CALLBACK);
            installed = true;
        }
    }

    /** Forgets what this thread's decoders refused, before and after an extraction. */
    static void forgetRefusals() {
        REFUSED.remove();
    }

    /** The last picture size a decoder on this thread refused, since {@link #forgetRefusals()}. */
    static Optional<PictureSize> refusedPicture() {
        return Optional.ofNullable(REFUSED.get());
    }
}
