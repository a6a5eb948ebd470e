package dev.facerec.cli;

import dev.facerec.recognition.gallery.Matcher;
import picocli.CommandLine.Option;

/** {@code --threshold}, for every command that names faces, in the range the functions accept. */
final class ThresholdOption {

    @Option(names = "--threshold", defaultValue = "" + Matcher.DEFAULT_THRESHOLD,
            converter = ValueRanges.MatchThreshold.class,
            description = "Largest distance that names a person: above 0, at most 2 (default ${DEFAULT-VALUE}).")
    double value;
}
