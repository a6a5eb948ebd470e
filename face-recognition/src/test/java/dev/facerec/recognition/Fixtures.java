package dev.facerec.recognition;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The face-api reference outputs in {@code <faas.projectRoot>/../shared/fixtures/faceapi}. Missing data fails the
 * test when {@code CI=true}, and skips it otherwise.
 */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** The fixtures folder, or the test is failed (CI) or skipped (elsewhere) when it is missing. */
    public static Path dir() {
        String root = System.getProperty("faas.projectRoot", System.getProperty("user.dir"));
        Path dir = Path.of(root).resolve("../shared/fixtures/faceapi").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            String message = "face-api fixtures not found: " + dir;
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            assumeTrue(false, message + " (skipped; CI=true makes this a failure)");
        }
        return dir;
    }

    public static Path file(String relative) {
        return dir().resolve(relative);
    }

    public static JsonNode json(String relative) {
        try {
            return JSON.readTree(file(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RgbImage image(String relative) {
        try {
            return RgbImage.decode(Files.readAllBytes(file(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A little-endian float32 file. */
    public static float[] floats(String relative) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file(relative))).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    public static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}
