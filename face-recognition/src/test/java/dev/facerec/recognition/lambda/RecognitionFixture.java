package dev.facerec.recognition.lambda;

import dev.facerec.common.Json;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.splitter.core.FrameExtractor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

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
