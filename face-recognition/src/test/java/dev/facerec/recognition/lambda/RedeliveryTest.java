package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.PipelineExtension.INPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.OUTPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.STAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Json;
import dev.facerec.common.testing.SharedData;
import dev.facerec.splitter.lambda.SampleEvents;
import dev.facerec.splitter.lambda.TransientFailureException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * S3 events and async invokes are delivered at least once, and a video can be uploaded again while its first version
 * is in flight. Both functions run against S3Mock through {@link FaultyS3Proxy} (no faults here: it counts and logs the
 * requests they make, and lets a test act between two of them); the async invoke is taken off the wire.
 */
class RedeliveryTest {
    @RegisterExtension
    static final PipelineExtension PIPELINE = PipelineExtension.withSeedGallery().throughFaultyProxy(1L);

    @Test
    void anEventAndAMessageDeliveredTwiceWriteTheOutcomeOnce() {
        upload("twice/test_0.mp4", "test_0.mp4");
        split("twice/test_0.mp4");
        String message = onlyInvoke();
        recognise(message);
        assertThat(text("twice/test_0.txt")).isEqualTo("Trump");
        PIPELINE.proxy().clearLog();
        PIPELINE.lambda().clear();

        split("twice/test_0.mp4");
        recognise(message);

        assertThat(PIPELINE.lambda().requests()).as("invokes made by the second delivery of the S3 event").isEmpty();
        assertThat(writes()).as("objects written by the second deliveries").isEmpty();
        assertThat(text("twice/test_0.txt")).isEqualTo("Trump");
    }

    @Test
    void aVideoCopiedOntoItselfIsRecognisedAgainWithoutBeingDecodedAgain() {
        upload("again/test_7.mp4", "test_7.mp4");
        split("again/test_7.mp4");
        recognise(onlyInvoke());
        PIPELINE.lambda().clear();
        PIPELINE.proxy().clearLog();

        // Same bytes, a new ObjectCreated event: S3 gives it a new sequencer (say, after the gallery changed).
        PIPELINE.splitter().handleRequest(SampleEvents.putEvent("again/test_7.mp4", "0A1B2C3D4E5F6789FF"), null);
        recognise(onlyInvoke());

        assertThat(writes()).as("writes of the second upload: the outcome and its record, not the frame")
                .containsExactlyInAnyOrder("PUT /" + OUTPUT + "/again/test_7.json",
                        "PUT /" + OUTPUT + "/again/test_7.txt");
        assertThat(PIPELINE.s3().headObject(b -> b.bucket(OUTPUT).key("again/test_7.txt")).metadata())
                .containsEntry("source-sequencer", "0A1B2C3D4E5F6789FF");
        assertThat(text("again/test_7.txt")).isEqualTo("Freeman");
    }

    @Test
    void aFrameWhoseInvokeFailedIsHandedOverAgainWhenLambdaRetriesTheEvent() {
        upload("orphan/test_4.mp4", "test_4.mp4");
        PIPELINE.lambda().respondWith(503);
        assertThatThrownBy(() -> split("orphan/test_4.mp4")).isInstanceOf(TransientFailureException.class);
        assertThat(PIPELINE.s3().headObject(b -> b.bucket(STAGE).key("orphan/test_4.jpg")).contentLength())
                .as("the frame written before the invoke failed").isPositive();
        PIPELINE.lambda().respondWith(202);
        PIPELINE.lambda().clear();
        PIPELINE.proxy().clearLog();

        split("orphan/test_4.mp4"); // Lambda's retry of the same event

        assertThat(writes()).as("the frame is reused, not extracted and written again").isEmpty();
        recognise(onlyInvoke());
        assertThat(text("orphan/test_4.txt")).isEqualTo("Depp");
    }

    @Test
    void aVideoReplacedAfterItsFrameWasTakenEndsWithTheNewVersionsOutcome() throws Exception {
        upload("replaced/clip.mp4", "test_0.mp4"); // Trump
        split("replaced/clip.mp4");
        String oldMessage = onlyInvoke();
        PIPELINE.lambda().clear();

        upload("replaced/clip.mp4", "test_4.mp4"); // Depp, uploaded again under the same key
        split("replaced/clip.mp4");
        String newMessage = onlyInvoke();
        assertThat(etagOf(newMessage)).isNotEqualTo(etagOf(oldMessage));

        recognise(newMessage);
        assertThat(text("replaced/clip.txt")).isEqualTo("Depp");
        PIPELINE.proxy().clearLog();

        recognise(oldMessage); // the first version's invoke, late

        assertThat(writes()).as("outcome writes for the replaced version").isEmpty();
        assertThat(text("replaced/clip.txt")).isEqualTo("Depp");
        assertThat(text("replaced/clip.json")).contains("\"outcome\" : \"Depp\"");
    }

    @Test
    void aVideoReplacedWhileBeingReadIsReadAgainFromItsNewVersion() throws Exception {
        upload("mid-read/clip.mp4", "test_1.mp4"); // 3.6 MB: read in many blocks
        AtomicInteger videoReads = new AtomicInteger();
        PIPELINE.proxy().beforeForwarding((method, path) -> {
            // Between the first and the second ranged read of the video, a new upload replaces it.
            if (method.equals("GET") && path.equals("/" + INPUT + "/mid-read/clip.mp4")
                    && videoReads.incrementAndGet() == 2) {
                upload("mid-read/clip.mp4", "test_4.mp4"); // Depp
            }
        });

        split("mid-read/clip.mp4");

        assertThat(videoReads.get()).as("reads of the video: it needs more than one block").isGreaterThan(2);
        String message = onlyInvoke();
        String current = PIPELINE.s3().headObject(b -> b.bucket(INPUT).key("mid-read/clip.mp4")).eTag()
                .replace("\"", "");
        assertThat(etagOf(message)).as("the message is for the version now in the bucket").isEqualTo(current);
        recognise(message);
        assertThat(text("mid-read/clip.txt")).isEqualTo("Depp");
    }

    private static void upload(String key, String courseVideo) {
        Path video = SharedData.seedVideo(courseVideo);
        PIPELINE.s3().putObject(b -> b.bucket(INPUT).key(key), RequestBody.fromFile(video));
    }

    private static void split(String key) {
        PIPELINE.splitter().handleRequest(SampleEvents.putEvent(key), null);
    }

    private static void recognise(String message) {
        PIPELINE.recognizer().handleRequest(RecognitionFixture.message(message), null);
    }

    private static String onlyInvoke() {
        assertThat(PIPELINE.lambda().requests()).as("async invokes of face-recognition").hasSize(1);
        return PIPELINE.lambda().requests().get(0).body();
    }

    private static List<String> writes() {
        return PIPELINE.proxy().writes();
    }

    private static String etagOf(String message) throws Exception {
        JsonNode body = Json.MAPPER.readTree(message);
        return body.get("source_etag").asText();
    }

    private static String text(String key) {
        return PIPELINE.s3().getObjectAsBytes(b -> b.bucket(OUTPUT).key(key)).asUtf8String();
    }
}
