package dev.facerec.splitter.lambda;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.facerec.common.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The S3 events of {@code samples/events}, deserialised with Lambda's own serialisation library. */
public final class SampleEvents {
    /** The bucket the sample events name: the tests' input bucket. */
    public static final String INPUT_BUCKET = "amzn-s3-demo-faas-input";
    /** The sequencer of the sample put event. */
    public static final String SEQUENCER = "0A1B2C3D4E5F678901";
    /** The object ETag of the sample put event (no real object has it). */
    public static final String ETAG = "0123456789abcdef0123456789abcdef";

    private static final PojoSerializer<S3Event> EVENTS =
            LambdaEventSerializers.serializerFor(S3Event.class, SampleEvents.class.getClassLoader());

    private SampleEvents() {
    }

    public static Path file(String name) {
        return SharedData.projectRoot().resolve("samples/events").resolve(name);
    }

    public static S3Event read(String name) {
        try (InputStream in = Files.newInputStream(file(name))) {
            return EVENTS.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample put event for another key, URL-encoded as S3 sends it. */
    public static S3Event putEvent(String key) {
        return putEvent(key, SEQUENCER);
    }

    /** The sample put event for another key and another upload of it (S3 gives each event its own sequencer). */
    public static S3Event putEvent(String key, String sequencer) {
        return putEvent(key, sequencer, ETAG);
    }

    /** The sample put event for another key, upload and object version ({@code eTag}, as S3 gives it). */
    public static S3Event putEvent(String key, String sequencer, String eTag) {
        try {
            return fromJson(Files.readString(file("s3-put.json"))
                    .replace("\"test_0.mp4\"", "\"" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "\"")
                    .replace("\"" + SEQUENCER + "\"", "\"" + sequencer + "\"")
                    .replace("\"" + ETAG + "\"", "\"" + eTag + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event as Lambda's Java runtime would hand this JSON to the handler. */
    public static S3Event fromJson(String json) {
        return EVENTS.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
