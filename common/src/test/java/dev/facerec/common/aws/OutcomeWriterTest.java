package dev.facerec.common.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.facerec.common.Env;
import dev.facerec.common.ErrorRecord;
import dev.facerec.common.Upload;
import dev.facerec.common.testing.TestAws;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The outcome as S3 holds it: the record tagged for the output bucket's lifecycle rule (OutcomeRecordRetentionDays
 * expires records by this tag), the name beside it untagged, so that it is kept.
 */
class OutcomeWriterTest {
    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent().withInitialBuckets("output").build();

    @Test
    void theRecordIsTaggedForItsExpiryAndTheNameIsNot() {
        try (S3Client s3 = AwsClients.s3(AwsSettings.from(new Env(TestAws.environment(S3_MOCK.getHttpPort(), null))))) {
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
}
