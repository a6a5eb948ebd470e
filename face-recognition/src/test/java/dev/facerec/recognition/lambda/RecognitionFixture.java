package dev.facerec.recognition.lambda;

import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Upload;
import dev.facerec.common.aws.Provenance;
import dev.facerec.common.aws.Provenance.Origin;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.lambda.SampleEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the recogniser's tests share besides the deployment ({@link PipelineExtension}): the seed gallery enrolled
 * once, course frames, and stage messages as maps.
 */
public final class RecognitionFixture {
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

    /**
     * Puts {@code jpeg} in {@code stageBucket} as the splitter writes the frame of video {@code inputBucket/videoKey}:
     * at its frame key, with its provenance (bytes {@link SampleEvents#ETAG}, no sequencer: a hand-made event). The
     * video need not exist: the recogniser then takes it as deleted since, and still writes its outcome.
     */
    public static void stageFrame(S3Client s3, String stageBucket, String inputBucket, String videoKey, byte[] jpeg) {
        Origin origin = new Origin(inputBucket, videoKey, new Upload(SampleEvents.ETAG, null));
        s3.putObject(b -> b.bucket(stageBucket).key(ObjectKeys.frameKey(videoKey)).contentType("image/jpeg")
                .metadata(Provenance.frameMetadataOf(origin)), RequestBody.fromBytes(jpeg));
    }

    /** The course's two-field stage message for the frame of {@code videoKey} in {@code stageBucket}. */
    public static String courseMessage(String stageBucket, String videoKey) {
        return "{\"bucket_name\":\"" + stageBucket + "\",\"image_file_name\":\"" + ObjectKeys.frameKey(videoKey)
                + "\"}";
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
}
