package dev.facerec.cli;

import dev.facerec.recognition.gallery.Matcher;
import dev.facerec.splitter.core.FrameSampling;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Options whose numbers have a range, checked as picocli reads them: a value outside is a usage error. */
final class ValueRanges {
    private ValueRanges() {
    }

    /** Threads, concurrency, runs: 0 would do nothing, or wait for ever. */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumberIn(value, 1, Integer.MAX_VALUE, "at least 1");
        }
    }

    /** A TCP port, or 0 for any free one. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumberIn(value, 0, 65535, "a port from 1 to 65535, or 0 for any free one");
        }
    }

    /** The range of the recogniser's {@link Matcher}, which the function's MATCH_THRESHOLD has too. */
    static final class MatchThreshold implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double threshold = decimal(value, "a number");
            try {
                return Matcher.checkThreshold(threshold);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A time between two things, such as two sampled frames: more than nothing, less than for ever. */
    static final class PositiveSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double seconds = decimal(value, "a number of seconds");
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new TypeConversionException("must be a positive number of seconds, not " + value);
            }
            return seconds;
        }
    }

    /** The splitter's MAX_FRAMES range: the stage message lists every frame. */
    static final class FramesPerVideo implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumberIn(value, 1, FrameSampling.MAX_MAX_FRAMES, "1 to " + FrameSampling.MAX_MAX_FRAMES);
        }
    }

    /** A whole number from {@code min} to {@code max}; outside, "must be {@code range}, not N". */
    private static int wholeNumberIn(String value, int min, int max, String range) {
        int number = wholeNumber(value);
        if (number < min || number > max) {
            throw new TypeConversionException("must be " + range + ", not " + number);
        }
        return number;
    }

    /** {@code value} as a number; else "'value' is not {@code what}". */
    private static double decimal(String value, String what) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not " + what);
        }
    }

    private static int wholeNumber(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }
}
