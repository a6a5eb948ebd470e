package dev.facerec.recognition.lambda;

import dev.facerec.common.ConfigException;
import dev.facerec.common.Env;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.gallery.Matcher;

/**
 * The recogniser's settings, read and checked once per container. {@code STAGE_BUCKET} is the only bucket a stage
 * message may name, {@code INPUT_BUCKET} the only one a frame's metadata may name as its video's (both as the
 * splitter is configured). {@code GALLERY_URI} is {@code s3://bucket/key} or a file path; {@code MATCH_THRESHOLD} the
 * largest descriptor distance that still names a person ({@link Matcher#DEFAULT_THRESHOLD} by default); {@code FACE_DETECTOR} a {@link DetectorKind}
 * label ({@code tiny-search} by default).
 */
public record RecognitionConfig(String stageBucket, String inputBucket, String outputBucket, GalleryLocation gallery,
                                double matchThreshold, int galleryRefreshSeconds, DetectorKind detector) {

    public static RecognitionConfig from(Env env) {
        double threshold = env.positiveDouble("MATCH_THRESHOLD", Matcher.DEFAULT_THRESHOLD);
        if (threshold > Matcher.MAX_THRESHOLD) {
            throw new ConfigException("MATCH_THRESHOLD", "must be at most 2 (descriptor distances lie in 0..2)");
        }
        DetectorKind detector;
        try {
            detector = env.optional("FACE_DETECTOR").map(DetectorKind::parse).orElse(DetectorKind.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("FACE_DETECTOR", "is not valid: " + e.getMessage());
        }
        if (!detector.inFunction()) {
            throw new ConfigException("FACE_DETECTOR", "'" + detector.label() + "' runs in the faas command only: "
                    + "OpenCV needs GTK 2, which Lambda's base image lacks, so the function's image has no OpenCV");
        }
        return new RecognitionConfig(env.bucket("STAGE_BUCKET"), env.bucket("INPUT_BUCKET"),
                env.bucket("OUTPUT_BUCKET"), GalleryLocation.parse(env.required("GALLERY_URI"), "GALLERY_URI"),
                threshold, env.positiveInt("GALLERY_REFRESH_SECONDS", 30), detector);
    }
}
