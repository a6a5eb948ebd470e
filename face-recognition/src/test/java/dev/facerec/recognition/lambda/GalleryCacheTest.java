package dev.facerec.recognition.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.facerec.common.Env;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.common.testing.TestAws;
import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryException;
import dev.facerec.recognition.gallery.GalleryFiles;
import dev.facerec.recognition.gallery.GalleryJson;
import dev.facerec.recognition.gallery.Person;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The gallery cache against S3Mock, through a proxy that fails or holds requests when told: a refused or deleted
 * gallery stays refused through S3 failures, and a slow reload keeps nobody waiting. The galleries are small and
 * synthetic: what is tested is the cache, not the faces.
 */
class GalleryCacheTest {
    private static final String BUCKET = "faas-gallery";
    private static final String KEY = "gallery.json";
    private static final Duration REFRESH = Duration.ofSeconds(30);

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent().withInitialBuckets(BUCKET).build();

    private S3Client s3;
    private FaultyS3Proxy proxy;
    private S3Client throughProxy;
    private final FaceRecognitionHandlerTest.MutableClock clock = new FaceRecognitionHandlerTest.MutableClock();
    private GalleryCache cache;

    @BeforeEach
    void start() {
        s3 = S3_MOCK.createS3ClientV2();
        proxy = new FaultyS3Proxy(S3_MOCK.getHttpPort(), 7L);
        throughProxy = AwsClients.s3(AwsSettings.from(new Env(TestAws.environment(proxy.port(), null))));
        cache = new GalleryCache(GalleryLocation.parse("s3://" + BUCKET + "/" + KEY, "GALLERY_URI"), throughProxy,
                REFRESH, clock);
    }

    @AfterEach
    void stop() {
        throughProxy.close();
        proxy.close();
    }

    @Test
    void aRefusedGalleryStaysRefusedWhenS3FailsAtTheNextCheck() {
        put(GalleryJson.write(gallery("Ann")));
        assertThat(names(cache.current())).containsExactly("Ann");
        put(new String(GalleryJson.write(gallery("Bob")), StandardCharsets.UTF_8)
                .replace(Gallery.MODEL, "facenet-512@elsewhere").getBytes(StandardCharsets.UTF_8));
        clock.advance(REFRESH.plusSeconds(1));
        assertThatThrownBy(cache::current).isInstanceOf(GalleryException.class).hasMessageContaining("facenet-512");

        proxy.faultRate(1.0);
        clock.advance(REFRESH.plusSeconds(1));

        assertThatThrownBy(cache::current).as("never Ann again from a gallery that was replaced")
                .isInstanceOf(GalleryException.class).hasMessageContaining("facenet-512");
    }

    @Test
    void aDeletedGalleryStaysRefusedWhenS3FailsAtTheNextCheck() {
        put(GalleryJson.write(gallery("Ann")));
        assertThat(names(cache.current())).containsExactly("Ann");
        s3.deleteObject(b -> b.bucket(BUCKET).key(KEY));
        clock.advance(REFRESH.plusSeconds(1));
        assertThatThrownBy(cache::current).isInstanceOf(GalleryException.class).hasMessageContaining("not found");

        proxy.faultRate(1.0);
        clock.advance(REFRESH.plusSeconds(1));

        assertThatThrownBy(cache::current).isInstanceOf(GalleryException.class).hasMessageContaining("not found");
    }

    /** Format 2 is read from S3 as format 1 is, and a change of format is a change like any other. */
    @Test
    void aBinaryGalleryIsLoadedAndItsReplacementPickedUpByItsETag() throws Exception {
        put(binary(gallery("Ann")));
        assertThat(names(cache.current())).containsExactly("Ann");
        put(binary(gallery("Ann", "Bob")));
        assertThat(names(cache.current())).as("within the refresh interval").containsExactly("Ann");

        clock.advance(REFRESH.plusSeconds(1));
        assertThat(names(cache.current())).containsExactly("Ann", "Bob");
        put(GalleryJson.write(gallery("Cy")));
        clock.advance(REFRESH.plusSeconds(1));
        assertThat(names(cache.current())).containsExactly("Cy");
    }

    private static byte[] binary(Gallery gallery) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GalleryFiles.write(gallery, GalleryFiles.Format.BINARY, out);
        return out.toByteArray();
    }

    @Test
    void theLoadedGalleryPutBackUnchangedIsUsedAgain() {
        byte[] ann = GalleryJson.write(gallery("Ann"));
        put(ann);
        assertThat(names(cache.current())).containsExactly("Ann");
        put("{\"format_version\": 1".getBytes(StandardCharsets.UTF_8));
        clock.advance(REFRESH.plusSeconds(1));
        assertThatThrownBy(cache::current).isInstanceOf(GalleryException.class);

        put(ann); // the same bytes, the same ETag: S3 answers 304 to the cache's conditional GET
        clock.advance(REFRESH.plusSeconds(1));

        assertThat(names(cache.current())).containsExactly("Ann");
    }

    @Test
    void aSlowReloadKeepsNoReaderWaiting() throws Exception {
        put(GalleryJson.write(gallery("Ann")));
        assertThat(names(cache.current())).containsExactly("Ann");
        put(GalleryJson.write(gallery("Ann", "Bob")));
        CountDownLatch reloading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        proxy.beforeForwarding((method, path) -> {
            if (path.equals("/" + BUCKET + "/" + KEY)) {
                reloading.countDown();
                await(release);
            }
        });
        clock.advance(REFRESH.plusSeconds(1));

        CompletableFuture<Gallery> checker = CompletableFuture.supplyAsync(cache::current);
        assertThat(reloading.await(30, TimeUnit.SECONDS)).as("the reload reached S3").isTrue();
        // While the reload is held, another recognition gets the gallery it had, at once.
        Gallery meanwhile = CompletableFuture.supplyAsync(cache::current).get(30, TimeUnit.SECONDS);
        release.countDown();

        assertThat(names(meanwhile)).containsExactly("Ann");
        assertThat(names(checker.get(30, TimeUnit.SECONDS))).containsExactly("Ann", "Bob");
        assertThat(names(cache.current())).containsExactly("Ann", "Bob");
    }

    @Test
    void aLargeFileThatIsNoGalleryIsRefusedAtItsStart(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("gallery.json");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(8L << 30); // 8 GiB of zeros, sparse: nothing is written
        }
        GalleryCache fromFile = new GalleryCache(GalleryLocation.parse(big.toString(), "GALLERY_URI"), s3, REFRESH,
                clock);

        assertThatThrownBy(fromFile::current).isInstanceOf(GalleryException.class)
                .hasMessageContaining("is not a readable gallery file");
    }

    private void put(byte[] json) {
        s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromBytes(json));
    }

    private static Gallery gallery(String... names) {
        return Gallery.of(java.util.Arrays.stream(names).map(name -> new Person(name,
                List.of(new Descriptor(values(name.hashCode()))))).toList());
    }

    private static float[] values(int seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[Descriptor.LENGTH];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 0.1f;
        }
        return values;
    }

    private static List<String> names(Gallery gallery) {
        return gallery.people().stream().map(Person::name).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
