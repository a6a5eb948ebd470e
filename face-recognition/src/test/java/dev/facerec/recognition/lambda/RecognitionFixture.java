package dev.facerec.recognition.lambda;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.facerec.common.Env;
import dev.facerec.common.Json;
import dev.facerec.common.testing.TestAws;
import dev.facerec.common.testing.WireLambdaEndpoint;
import dev.facerec.recognition.gallery.GalleryJson;
import dev.facerec.splitter.lambda.SampleEvents;
import dev.facerec.splitter.lambda.VideoSplitter;
import dev.facerec.splitter.lambda.VideoSplittingHandler;
import java.util.HashMap;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.splitter.core.FrameExtractor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the recogniser's tests share: the seed gallery enrolled once, course frames, stage messages as maps, and the
 * whole pipeline deployed against one S3 endpoint and one loopback Lambda endpoint.
 */
public final class RecognitionFixture {
    static final String STAGE = "faas-stage";
    static final String OUTPUT = "faas-output";
    static final String GALLERIES = "faas-gallery";
    static final String FUNCTION = "face-recognition";

    /** S3Mock with the pipeline's buckets, for a test class's {@code @RegisterExtension}. */
    static S3MockExtension s3Mock() {
        return S3MockExtension.builder().silent()
                .withInitialBuckets(SampleEvents.INPUT_BUCKET, STAGE, OUTPUT, GALLERIES).build();
    }
    private static Gallery seedGallery;

    private RecognitionFixture() {
    }

    /** The seed photos enrolled with the real networks (once per test JVM). */
    public static synchronized Gallery seedGallery() {
        if (seedGallery == null) {
            try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
                seedGallery = new Enroller(analyzer).enroll(SharedData.seedGallery()).gallery();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return seedGallery;
    }

    /**
     * Both functions built as on AWS from their environment, with the seed gallery uploaded: their S3 client pointed
     * at S3Mock, or at a {@link FaultyS3Proxy} in front of it, and the splitter's Lambda client at a loopback endpoint
     * that takes its async invokes off the wire. {@code s3} is the test's own client, straight to S3Mock.
     */
    record Deployment(S3Client s3, WireLambdaEndpoint lambda, FaultyS3Proxy proxy, VideoSplittingHandler splitter,
                      FaceRecognitionHandler recognizer) implements AutoCloseable {

        static Deployment direct(S3MockExtension s3Mock) {
            return deploy(s3Mock, null);
        }

        /** The functions' S3 requests go through a proxy seeded with {@code seed}: no fault until a test asks. */
        static Deployment throughProxy(S3MockExtension s3Mock, long seed) {
            return deploy(s3Mock, new FaultyS3Proxy(s3Mock.getHttpPort(), seed));
        }

        private static Deployment deploy(S3MockExtension s3Mock, FaultyS3Proxy proxy) {
            S3Client s3 = s3Mock.createS3ClientV2();
            WireLambdaEndpoint lambda = new WireLambdaEndpoint();
            s3.putObject(b -> b.bucket(GALLERIES).key("gallery.json"),
                    RequestBody.fromBytes(GalleryJson.write(seedGallery())));
            int s3Port = proxy == null ? s3Mock.getHttpPort() : proxy.port();
            Map<String, String> env = new HashMap<>(TestAws.environment(s3Port, lambda.url()));
            env.put("STAGE_BUCKET", STAGE);
            env.put("OUTPUT_BUCKET", OUTPUT);
            env.put("FACE_RECOGNITION_FUNCTION", FUNCTION);
            env.put("GALLERY_URI", "s3://" + GALLERIES + "/gallery.json");
            return new Deployment(s3, lambda, proxy,
                    new VideoSplittingHandler(VideoSplitter.fromEnvironment(new Env(env))),
                    new FaceRecognitionHandler(FaceRecognitionService.fromEnvironment(new Env(env))));
        }

        @Override
        public void close() {
            lambda.close();
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    /** The seed gallery without one person. */
    static Gallery seedGalleryWithout(String name) {
        return Gallery.of(seedGallery().people().stream().filter(p -> !p.name().equals(name)).toList());
    }

    /** The frame video-splitting makes of a video, as JPEG bytes. */
    public static byte[] frameOf(Path video) {
        FrameExtractor.loadNatives();
        try (FileSource source = FileSource.open(video)) {
            return new FrameExtractor().extract(source).jpeg();
        } catch (Exception e) {
            throw new IllegalStateException("cannot extract a frame of " + video, e);
        }
    }

    /** A stage message as Lambda hands it to a {@code RequestHandler<Map<String, Object>, ?>}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> message(String json) {
        try {
            return Json.MAPPER.readValue(json, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
