package dev.facerec.common.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.facerec.common.Env;
import dev.facerec.common.ErrorRecord;
import dev.facerec.common.Json;
import dev.facerec.common.Upload;
import dev.facerec.common.aws.OutcomeWriter.Result;
import dev.facerec.common.testing.S3Wire;
import dev.facerec.common.testing.TestAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The outcome as S3 holds it: the record tagged for the output bucket's lifecycle rule (OutcomeRecordRetentionDays
 * expires records by this tag), the name beside it untagged, so that it is kept. And the outcome of deliveries that
 * race, against S3Mock's conditional PUTs, counted on the wire ({@link S3Wire}).
 */
class OutcomeWriterTest {
    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent().withInitialBuckets("output").build();
    private static final int DELIVERIES = 8;

    private final S3Wire wire = new S3Wire();

    @Test
    void theRecordIsTaggedForItsExpiryAndTheNameIsNot() {
        try (S3Client s3 = AwsClients.s3(settings())) {
            new OutcomeWriter(s3, "output").writeError("clips/a.mp4", new Upload("\"etag\"", "0055"),
                    ErrorRecord.of("video-splitting", "test", "input", "clips/a.mp4"));

            assertThat(s3.getObjectTagging(b -> b.bucket("output").key("clips/a.json")).tagSet())
                    .extracting(Tag::key, Tag::value).containsExactly(tuple("faas-object", "record"));
            assertThat(OutcomeWriter.RECORD_TAG).isEqualTo("faas-object=record");
            assertThat(s3.getObjectTagging(b -> b.bucket("output").key("clips/a.txt")).tagSet()).isEmpty();
            assertThat(s3.getObjectAsBytes(b -> b.bucket("output").key("clips/a.txt")).asUtf8String())
                    .isEqualTo("Error");
        }
    }

    @Test
    void eightDeliveriesOfOneUploadAtOnceWriteItsOutcomeOnce() throws Exception {
        Upload upload = new Upload("etag-once", "0A1B2C3D4E5F678901");
        try (S3Client s3 = wire.client(settings())) {
            List<Callable<Result>> deliveries = new ArrayList<>();
            for (int i = 0; i < DELIVERIES; i++) {
                Map<String, Object> record = Map.of("outcome", "Trump", "delivery", i);
                deliveries.add(() -> new OutcomeWriter(s3, "output").write("race/once.mp4", upload, "Trump", record));
            }

            List<Result> results = wire.atOnce(deliveries);

            assertThat(wire.count("PUT /output/race/once.json", 200)).as("records written").isEqualTo(1);
            assertThat(wire.count("PUT /output/race/once.json", 412)).as("records refused: each delivery had read "
                    + "before any wrote").isEqualTo(DELIVERIES - 1);
            assertThat(wire.count("PUT /output/race/once.txt", 200)).as("outcomes written").isEqualTo(1);
            assertThat(results).as("what each delivery did").contains(Result.WRITTEN)
                    .doesNotContain(Result.SUPERSEDED);
            assertThat(text(s3, "race/once.txt")).isEqualTo("Trump");
            assertThat(new OutcomeWriter(s3, "output").isWritten("race/once.mp4", upload)).isTrue();
        }
    }

    @Test
    void ofEightUploadsWrittenAtOnceTheNewestStaysThoughItWritesFirst() throws Exception {
        // Upload i has the i-th sequencer; all read before any writes, then they write newest first, so that
        // without conditions the oldest would write last and stay.
        int newest = DELIVERIES - 1;
        try (S3Client s3 = wire.client(settings())) {
            List<Callable<Result>> newestFirst = new ArrayList<>();
            for (int i = newest; i >= 0; i--) {
                int upload = i;
                newestFirst.add(() -> new OutcomeWriter(s3, "output").write("race/newest.mp4", uploadNumber(upload),
                        "Name" + upload, Map.of("outcome", "Name" + upload, "upload", upload)));
            }

            List<Result> results = wire.atOnceWritingInTurn(newestFirst);

            assertThat(text(s3, "race/newest.txt")).isEqualTo("Name" + newest);
            assertThat(Json.MAPPER.readTree(text(s3, "race/newest.json")).get("upload").asInt()).isEqualTo(newest);
            assertThat(s3.headObject(b -> b.bucket("output").key("race/newest.txt")).metadata())
                    .containsEntry(Provenance.SOURCE_SEQUENCER, uploadNumber(newest).sequencer());
            assertThat(wire.count("PUT /output/race/newest.json", 200)).as("records written").isEqualTo(1);
            assertThat(wire.count("PUT /output/race/newest.txt", 200)).as("outcomes written").isEqualTo(1);
            assertThat(results.get(0)).isEqualTo(Result.WRITTEN);
            assertThat(results.subList(1, DELIVERIES)).as("the older uploads").containsOnly(Result.SUPERSEDED);
        }
    }

    @Test
    void aStaleOutcomeNeverReplacesANewerOne() {
        try (S3Client s3 = wire.client(settings())) {
            OutcomeWriter writer = new OutcomeWriter(s3, "output");
            assertThat(writer.write("race/late.mp4", uploadNumber(2), "Depp", Map.of("outcome", "Depp")))
                    .isEqualTo(Result.WRITTEN);

            assertThat(writer.write("race/late.mp4", uploadNumber(1), "Trump", Map.of("outcome", "Trump")))
                    .isEqualTo(Result.SUPERSEDED);

            assertThat(text(s3, "race/late.txt")).isEqualTo("Depp");
            assertThat(wire.count("PUT /output/race/late.txt", 200)).isEqualTo(1);
        }
    }

    @Test
    void aStaleOutcomeIsNotWrittenBesideANewerUploadsRecordWhoseOutcomeIsComing() {
        try (S3Client s3 = wire.client(settings())) {
            // The newer upload's writer between its two PUTs: its record is there, its outcome not yet.
            s3.putObject(b -> b.bucket("output").key("race/claimed.json").metadata(
                    Provenance.metadataOf(uploadNumber(3))), RequestBody.fromString("{\"outcome\" : \"Bean\"}"));

            assertThat(new OutcomeWriter(s3, "output").write("race/claimed.mp4", uploadNumber(2), "Depp",
                    Map.of("outcome", "Depp"))).isEqualTo(Result.SUPERSEDED);

            assertThat(s3.listObjectsV2(b -> b.bucket("output").prefix("race/claimed.")).contents())
                    .extracting(S3Object::key).containsExactly("race/claimed.json");
        }
    }

    @Test
    void aDeliveryThatFindsItsUploadsRecordWithoutItsOutcomeCommitsThatRecordsOutcome() throws Exception {
        try (S3Client s3 = wire.client(settings())) {
            OutcomeWriter writer = new OutcomeWriter(s3, "output");
            writer.write("race/stopped.mp4", uploadNumber(1), "Trump", Map.of("outcome", "Trump", "delivery", 1));
            // As if that delivery had stopped between its two PUTs (say, at Lambda's timeout): its record, no outcome.
            s3.deleteObject(b -> b.bucket("output").key("race/stopped.txt"));
            long recordsBefore = wire.count("PUT /output/race/stopped.json", 200);

            assertThat(writer.write("race/stopped.mp4", uploadNumber(1), "Unknown",
                    Map.of("outcome", "Unknown", "delivery", 2))).isEqualTo(Result.WRITTEN);

            assertThat(text(s3, "race/stopped.txt")).as("the outcome of the record that stands").isEqualTo("Trump");
            assertThat(Json.MAPPER.readTree(text(s3, "race/stopped.json")).get("delivery").asInt()).isEqualTo(1);
            assertThat(wire.count("PUT /output/race/stopped.json", 200)).isEqualTo(recordsBefore);
        }
    }

    private static AwsSettings settings() {
        return AwsSettings.from(new Env(TestAws.environment(S3_MOCK.getHttpPort(), null)));
    }

    /** The i-th upload of a video: its own bytes, and an event later than the (i-1)-th's. */
    private static Upload uploadNumber(int i) {
        return new Upload("etag-" + i, String.format(Locale.ROOT, "0A1B2C3D4E5F67%04X", i * 0x111));
    }

    private static String text(S3Client s3, String key) {
        return s3.getObjectAsBytes(b -> b.bucket("output").key(key)).asUtf8String();
    }
}
