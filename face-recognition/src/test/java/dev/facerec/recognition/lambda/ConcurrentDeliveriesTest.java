package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.PipelineExtension.OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.common.aws.Provenance;
import dev.facerec.common.testing.S3Wire;
import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.Recognizer;
import dev.facerec.splitter.lambda.SampleEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Eight deliveries in flight for one video at the same moment, through the recogniser: each has read the outcome
 * before any writes it ({@link S3Wire} holds their first PUTs until all have come to theirs), as when Lambda runs
 * deliveries in eight containers at once. The recognisers share one network and S3 client through the wire.
 */
class ConcurrentDeliveriesTest {
    @RegisterExtension
    static final PipelineExtension PIPELINE = PipelineExtension.withSeedGallery();
    private static final int DELIVERIES = 8;

    private final S3Wire wire = new S3Wire();

    @Test
    void eightDeliveriesOfOneStageMessageAtOnceWriteTheOutcomeOnce() throws Exception {
        PIPELINE.upload("burst/test_0.mp4", SharedData.seedVideo("test_0.mp4"));
        PIPELINE.split("burst/test_0.mp4");
        String message = PIPELINE.invokes().get(0);

        try (FaceAnalyzer analyzer = FaceAnalyzer.create(); S3Client s3 = wire.client(settings())) {
            FaceRecognitionService recogniser = recogniser(s3, analyzer);
            wire.atOnce(Collections.nCopies(DELIVERIES, () -> {
                recogniser.process(message, Deadline.none());
                return null;
            }));
        }

        assertThat(wire.count("PUT /" + OUTPUT + "/burst/test_0.json", 200)).as("records written").isEqualTo(1);
        assertThat(wire.count("PUT /" + OUTPUT + "/burst/test_0.txt", 200)).as("outcomes written").isEqualTo(1);
        assertThat(PIPELINE.output("burst/test_0.txt")).isEqualTo("Trump");
        assertThat(PIPELINE.output("burst/test_0.json")).contains("\"outcome\" : \"Trump\"");
    }

    @Test
    void ofEightUploadsInFlightAtOnceTheNewestsOutcomeStaysThoughItWritesFirst() throws Exception {
        // The same bytes uploaded eight times (a copy onto itself gets a new event, a greater sequencer): the
        // recogniser's check of the video's current ETag passes for all, only their sequencers tell them apart.
        PIPELINE.upload("again/test_4.mp4", SharedData.seedVideo("test_4.mp4"));
        List<String> sequencers = new ArrayList<>();
        for (int i = 0; i < DELIVERIES; i++) {
            sequencers.add(String.format(Locale.ROOT, "0A1B2C3D4E5F6789%02X", 0x10 + i));
            PIPELINE.splitter().handleRequest(SampleEvents.putEvent("again/test_4.mp4", sequencers.get(i)), null);
        }
        List<String> messages = new ArrayList<>(PIPELINE.invokes());
        assertThat(messages).as("one invoke per upload").hasSize(DELIVERIES);
        Collections.reverse(messages); // the newest first: without conditions the oldest would write last

        try (FaceAnalyzer analyzer = FaceAnalyzer.create(); S3Client s3 = wire.client(settings())) {
            FaceRecognitionService recogniser = recogniser(s3, analyzer);
            List<Callable<Void>> newestFirst = new ArrayList<>();
            for (String message : messages) {
                newestFirst.add(() -> {
                    recogniser.process(message, Deadline.none());
                    return null;
                });
            }
            wire.atOnceWritingInTurn(newestFirst);
        }

        assertThat(PIPELINE.s3().headObject(b -> b.bucket(OUTPUT).key("again/test_4.txt")).metadata())
                .containsEntry(Provenance.SOURCE_SEQUENCER, sequencers.get(DELIVERIES - 1));
        assertThat(PIPELINE.s3().headObject(b -> b.bucket(OUTPUT).key("again/test_4.json")).metadata())
                .containsEntry(Provenance.SOURCE_SEQUENCER, sequencers.get(DELIVERIES - 1));
        assertThat(wire.count("PUT /" + OUTPUT + "/again/test_4.json", 200)).as("records written").isEqualTo(1);
        assertThat(wire.count("PUT /" + OUTPUT + "/again/test_4.txt", 200)).as("outcomes written").isEqualTo(1);
        assertThat(PIPELINE.output("again/test_4.txt")).isEqualTo("Depp");
    }

    private static AwsSettings settings() {
        return AwsSettings.from(new Env(PIPELINE.environment()));
    }

    /** A recogniser deployed as the pipeline's, whose S3 requests go through {@code s3}. */
    private static FaceRecognitionService recogniser(S3Client s3, FaceAnalyzer analyzer) {
        RecognitionConfig config = RecognitionConfig.from(new Env(PIPELINE.environment()));
        return new FaceRecognitionService(config, s3, new Recognizer(analyzer),
                new GalleryCache(config.gallery(), s3, Duration.ofSeconds(30), Clock.systemUTC()));
    }
}
