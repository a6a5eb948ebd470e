package dev.facerec.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The input a fuzz test that calls native code is working on, kept in {@code target/fuzz-last-input/<test>}: a crash
 * in native code (FFmpeg, ImageIO's JPEG decoder) ends the JVM without Jazzer saving the input, and this file then
 * holds it.
 */
public final class LastFuzzInput {
    private static final Path DIR = Path.of("target", "fuzz-last-input");

    private LastFuzzInput() {
    }

    public static void keep(Class<?> test, byte[] input) {
        try {
            Files.createDirectories(DIR);
            Files.write(DIR.resolve(test.getSimpleName()), input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
