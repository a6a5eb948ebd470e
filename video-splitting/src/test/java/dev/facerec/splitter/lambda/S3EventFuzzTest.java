package dev.facerec.splitter.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An S3 event as the splitter's handler reads it, from any bytes: Lambda's own serialisation library refuses what is
 * not such an event before the handler runs, and every record of one it reads is an upload or a
 * {@link UploadRecord.Skipped} with a reason. Anything else thrown is a finding.
 *
 * <p>The library refuses with whatever its parsers throw (its own JSONException, UncheckedIOException, a
 * ReflectException around Joda-Time's refusal of an {@code eventTime}): the whole invocation fails, in Lambda's
 * runtime before this function's code, and the event goes to the failure destination after Lambda's retries
 * (docs/RELIABILITY.md, "Fuzzing").
 */
class S3EventFuzzTest {

    static Stream<byte[]> sampleEvents() {
        return Stream.of("s3-put.json", "s3-put-key-with-spaces.json", "s3-put-two-records.json", "s3-test-event.json")
                .map(name -> {
                    try {
                        return Files.readAllBytes(SampleEvents.file(name));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    @MethodSource("sampleEvents")
    @DictionaryEntries({"\"Records\"", "\"eventName\"", "\"ObjectCreated:Put\"", "\"ObjectRemoved:Delete\"",
            "\"s3\"", "\"bucket\"", "\"object\"", "\"key\"", "\"name\"", "\"eTag\"", "\"sequencer\"", "\"size\"",
            "\"eventTime\"", "%2F", "%", "+", "null"})
    @FuzzTest(maxDuration = "3s")
    void uploadOrSkipped(byte[] json) {
        S3Event event;
        try {
            event = SampleEvents.fromJson(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException notAnEvent) {
            return; // thrown by Lambda's library, before the handler
        }
        List<S3EventNotificationRecord> records = event == null ? null : event.getRecords();
        if (records == null) {
            return; // the handler ignores it (s3:TestEvent)
        }
        for (S3EventNotificationRecord record : records) {
            try {
                UploadRecord upload = UploadRecord.of(record);
                assertThat(upload.bucket()).isNotBlank();
                assertThat(upload.key()).isNotEmpty();
            } catch (UploadRecord.Skipped skipped) {
                assertThat(skipped.getMessage()).isNotBlank();
            }
        }
    }
}
