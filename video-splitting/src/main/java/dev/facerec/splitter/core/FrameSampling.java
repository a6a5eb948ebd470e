package dev.facerec.splitter.core;

import java.util.Locale;

/**
 * Which frames of a video go to face recognition.
 * <ul>
 * <li>{@link Mode#FIRST}: the first keyframe whose picture is not blank (the course's rule; one frame);</li>
 * <li>{@link Mode#KEYFRAMES}: keyframes through the whole video, at most one per {@code intervalSeconds} and at most
 *     {@code maxFrames}. When the container states the video's length, the frames are spread over all of it: the
 *     spacing grows to {@code length / maxFrames} when that is longer than the interval.</li>
 * </ul>
 */
public record FrameSampling(Mode mode, double intervalSeconds, int maxFrames) {
    public static final double DEFAULT_INTERVAL_SECONDS = 1.0;
    public static final int DEFAULT_MAX_FRAMES = 120;
    /** The stage message lists every frame; this keeps it far under Lambda's 256 KB async payload. */
    public static final int MAX_MAX_FRAMES = 1000;
    public static final FrameSampling FIRST = new FrameSampling(Mode.FIRST, DEFAULT_INTERVAL_SECONDS, 1);

    public enum Mode {
        FIRST, KEYFRAMES;

        /** As the {@code FRAMES} variable and {@code --frames} spell it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code first} or {@code keyframes}, in any case. */
        public static Mode parse(String text) {
            for (Mode mode : values()) {
                if (mode.label().equalsIgnoreCase(text.trim())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("must be 'first' or 'keyframes', got '" + text + "'");
        }
    }

    public FrameSampling {
        if (!(intervalSeconds > 0) || Double.isInfinite(intervalSeconds)) {
            throw new IllegalArgumentException("the frame interval must be a positive number of seconds, got "
                    + intervalSeconds);
        }
        if (maxFrames < 1 || maxFrames > MAX_MAX_FRAMES) {
            throw new IllegalArgumentException("the most frames per video must be 1 to " + MAX_MAX_FRAMES + ", got "
                    + maxFrames);
        }
    }

    public static FrameSampling keyframes(double intervalSeconds, int maxFrames) {
        return new FrameSampling(Mode.KEYFRAMES, intervalSeconds, maxFrames);
    }

    public static FrameSampling keyframes() {
        return keyframes(DEFAULT_INTERVAL_SECONDS, DEFAULT_MAX_FRAMES);
    }

    /** The seconds between two sampled frames of a video of {@code durationSeconds} (0: not stated). */
    double spacing(double durationSeconds) {
        return maxFrames > 1 && durationSeconds > 0
                ? Math.max(intervalSeconds, durationSeconds / maxFrames) : intervalSeconds;
    }

    @Override
    public String toString() {
        return mode == Mode.FIRST ? mode.label()
                : String.format(Locale.ROOT, "%s (every %.3g s at most, %d frames at most)", mode.label(),
                        intervalSeconds, maxFrames);
    }
}
