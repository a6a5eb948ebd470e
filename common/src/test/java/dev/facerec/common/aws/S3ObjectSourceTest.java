package dev.facerec.common.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.facerec.common.Env;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.common.testing.TestAws;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Ranged reads against S3Mock over HTTP with the real SDK client, built the way the functions build it. */
class S3ObjectSourceTest {
    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent().withInitialBuckets("videos").build();

    static S3Client s3;
    static byte[] content = new byte[1_000_003];

    @BeforeAll
    static void upload() {
        s3 = AwsClients.s3(AwsSettings.from(new Env(TestAws.environment(S3_MOCK.getHttpPort(), null))));
        new Random(7).nextBytes(content);
        s3.putObject(b -> b.bucket("videos").key("dir/big clip.bin"), RequestBody.fromBytes(content));
        s3.putObject(b -> b.bucket("videos").key("empty.mp4"), RequestBody.empty());
    }

    @Test
    void readsAnyRangeFetchingOnlyTheBlocksTouched() throws Exception {
        S3ObjectSource source = new S3ObjectSource(s3, "videos", "dir/big clip.bin", 64 * 1024);
        assertThat(source.size()).isEqualTo(content.length);
        byte[] buffer = new byte[100];
        int n = source.read(999_950, buffer, 0, 100);
        assertThat(n).isEqualTo(53); // the last 53 bytes
        for (int i = 0; i < n; i++) {
            assertThat(buffer[i]).isEqualTo(content[999_950 + i]);
        }
        assertThat(source.read(content.length, buffer, 0, 10)).isEqualTo(-1);
        // block 0 (to learn the size) and the last block: 64 KiB + the 16,963-byte tail
        assertThat(source.bytesFetched()).isEqualTo(64 * 1024 + (content.length % (64 * 1024)));
        assertThat(source.requests()).isEqualTo(2);
        assertThat(source.eTag()).isNotBlank();
    }

    @Test
    void aReadSpanningBlocksReturnsWhatTheFirstBlockHolds() throws Exception {
        S3ObjectSource source = new S3ObjectSource(s3, "videos", "dir/big clip.bin", 1000);
        byte[] buffer = new byte[50];
        assertThat(source.read(980, buffer, 0, 50)).isEqualTo(20);
        assertThat(buffer[19]).isEqualTo(content[999]);
    }

    @Test
    void anEmptyObjectHasSizeZero() throws Exception {
        assertThat(new S3ObjectSource(s3, "videos", "empty.mp4").size()).isZero();
    }

    @Test
    void aMissingObjectIsAPermanentFailure() {
        assertThatThrownBy(() -> new S3ObjectSource(s3, "videos", "nope.mp4").size())
                .isInstanceOfSatisfying(SourceReadException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("object not found: s3://videos/nope.mp4");
    }

    @Test
    void anObjectReplacedBetweenTwoReadsIsReportedAsChangedNotSpliced() throws Exception {
        s3.putObject(b -> b.bucket("videos").key("replaced.mp4"), RequestBody.fromBytes(content));
        S3ObjectSource source = new S3ObjectSource(s3, "videos", "replaced.mp4", 1000);
        byte[] buffer = new byte[10];
        assertThat(source.read(0, buffer, 0, 10)).isEqualTo(10);

        s3.putObject(b -> b.bucket("videos").key("replaced.mp4"), RequestBody.fromBytes(new byte[content.length]));

        assertThatThrownBy(() -> source.read(5000, buffer, 0, 10))
                .isInstanceOfSatisfying(SourceReadException.class,
                        e -> assertThat(e.kind()).isEqualTo(SourceReadException.Kind.CHANGED))
                .hasMessageContaining("object replaced while being read: s3://videos/replaced.mp4");
    }
}
