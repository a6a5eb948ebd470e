package dev.facerec.cli;

import dev.facerec.splitter.core.FrameSampling;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --frames}, {@code --frame-interval} and {@code --max-frames}: which frames of a video are recognised, as the
 * splitter's {@code FRAMES}, {@code FRAME_INTERVAL_SECONDS} and {@code MAX_FRAMES} choose them.
 */
final class FramesOption {

    @Option(names = "--frames", defaultValue = "first", converter = ParseMode.class, paramLabel = "first|keyframes",
            description = "first (default): the first keyframe with a picture, as the course's rule; keyframes: "
                    + "keyframes through the whole video, who is seen when.")
    FrameSampling.Mode mode;

    @Option(names = "--frame-interval", defaultValue = "1", converter = ValueRanges.PositiveSeconds.class, paramLabel = "SECONDS",
            description = "With --frames keyframes: at most one frame per SECONDS (default 1).")
    double intervalSeconds;

    @Option(names = "--max-frames", defaultValue = "120", converter = ValueRanges.FramesPerVideo.class, paramLabel = "N",
            description = "With --frames keyframes: at most N frames per video, spread over all of it (default 120).")
    int maxFrames;

    FrameSampling sampling() {
        return mode == FrameSampling.Mode.FIRST ? FrameSampling.FIRST
                : FrameSampling.keyframes(intervalSeconds, maxFrames);
    }

    /** The splitter's environment variables for these choices ({@code faas local}, {@code faas demo}). */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FRAMES", mode.label());
        env.put("FRAME_INTERVAL_SECONDS", String.format(Locale.ROOT, "%s", intervalSeconds));
        env.put("MAX_FRAMES", Integer.toString(maxFrames));
        return env;
    }

    static final class ParseMode implements ITypeConverter<FrameSampling.Mode> {
        @Override
        public FrameSampling.Mode convert(String value) {
            try {
                return FrameSampling.Mode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
