package dev.facerec.recognition.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The group photos {@code demo/sample1.jpg} ... {@code sample6.jpg} of the npm package {@code @vladmandic/face-api}
 * (MIT), which the build fetches with the weights and checks against {@code src/main/face-api/SHA256SUMS}. They let
 * {@code faas demo} and the tests run with nothing beside the jar: 1920 px wide, three to five people each, no person
 * in two photos.
 */
public final class SamplePhotos {
    private static final String CLASSPATH_DIR = "/dev/facerec/recognition/samples/";
    public static final int COUNT = 6;

    private SamplePhotos() {
    }

    /** {@code sample1.jpg} ... {@code sample6.jpg}. */
    public static List<String> names() {
        return IntStream.rangeClosed(1, COUNT).mapToObj(SamplePhotos::name).toList();
    }

    public static String name(int number) {
        if (number < 1 || number > COUNT) {
            throw new IllegalArgumentException("sample photos are numbered 1 to " + COUNT + ", not " + number);
        }
        return "sample" + number + ".jpg";
    }

    /** The JPEG bytes of {@code sample<number>.jpg}. */
    public static byte[] jpeg(int number) {
        String path = CLASSPATH_DIR + name(number);
        try (InputStream in = SamplePhotos.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the class path: build with ./mvnw package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
