package dev.facerec.recognition;

import ai.djl.ndarray.NDManager;
import dev.facerec.recognition.model.HaarFaceDetector;
import dev.facerec.recognition.model.SsdMobilenetv1;
import dev.facerec.recognition.model.TfjsWeights;
import dev.facerec.recognition.model.TinyFaceDetector;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which {@link FaceDetector} a {@link FaceAnalyzer} uses. */
public enum DetectorKind {
    /** face-api's TinyFaceDetector at input size 416: the reference pipeline, and the default. */
    TINY,
    /** OpenCV's frontal-face Haar cascade ({@link HaarFaceDetector}); only this kind loads OpenCV and OpenBLAS. */
    HAAR,
    /** face-api's SsdMobilenetv1 at input size 512 ({@link SsdMobilenetv1}): larger and slower than TINY. */
    SSD;

    public static final DetectorKind DEFAULT = TINY;

    /** The kind named {@code name}, in any case ({@code tiny}, {@code HAAR}, {@code ssd}). */
    public static DetectorKind parse(String name) {
        if (name != null) {
            for (DetectorKind kind : values()) {
                if (kind.name().equalsIgnoreCase(name.strip())) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown face detector " + (name == null ? "null" : "'" + name + "'")
            + ": expected one of " + Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
    }

    /** A new detector of this kind; TINY's and SSD's weights are made in {@code weights}, HAAR's natives its own. */
    FaceDetector newDetector(NDManager weights) {
        return switch (this) {
            case TINY -> new TinyFaceDetector(TfjsWeights.fromClasspath(TinyFaceDetector.MODEL), weights)::detect;
            case HAAR -> new HaarFaceDetector();
            case SSD -> new SsdMobilenetv1(TfjsWeights.fromClasspath(SsdMobilenetv1.MODEL), weights)::detect;
        };
    }
}
