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
    /** face-api's TinyFaceDetector at input size 416, one pass: the reference pipeline. */
    TINY,
    /**
     * TinyFaceDetector searched at every size ({@link FaceSearch}): at 416, on the picture (then its mirror image) in a
     * border when no face is found, and at {@link #SMALL_FACES_INPUT}, scores above {@link #SMALL_FACES_SCORE}, for
     * small faces.
     */
    TINY_SEARCH,
    /**
     * OpenCV's frontal-face Haar cascade ({@link HaarFaceDetector}); only this kind loads OpenCV and OpenBLAS. For the
     * faas command only: JavaCPP's OpenCV loads its GUI module, which needs GTK 2, and Lambda's base image has none, so
     * the function's image carries no OpenCV ({@link #inFunction()}).
     */
    HAAR,
    /** face-api's SsdMobilenetv1 at input size 512 ({@link SsdMobilenetv1}): larger and slower than TINY. */
    SSD;

    /** Chosen on the development set by recall and speed: see docs/QUALITY.md. */
    public static final DetectorKind DEFAULT = TINY_SEARCH;
    /** {@link #DEFAULT}'s {@link #label()}, as a constant for option defaults. */
    public static final String DEFAULT_LABEL = "tiny-search";
    static final int SMALL_FACES_INPUT = 608;
    /**
     * The small faces' pass keeps boxes scored above this, not face-api's 0.5: at 608 a 37 px face can score 0.37.
     * On the dev set's detection photos 0.2 to 0.35 found every box with no false detection, 0.4 missed one and
     * 0.15 gave one false detection (docs/QUALITY.md).
     */
    static final double SMALL_FACES_SCORE = 0.3;

    /** The kind whose {@link #label} is {@code name}, in any case ({@code tiny}, {@code HAAR}, {@code ssd}). */
    public static DetectorKind parse(String name) {
        if (name != null) {
            for (DetectorKind kind : values()) {
                if (kind.label().equalsIgnoreCase(name.strip())) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown face detector " + (name == null ? "null" : "'" + name + "'")
            + ": expected one of " + Arrays.stream(values()).map(DetectorKind::label)
                .collect(Collectors.joining(", ")));
    }

    /** Whether the face-recognition function offers this kind ({@code FACE_DETECTOR}): all but {@link #HAAR}. */
    public boolean inFunction() {
        return this != HAAR;
    }

    /** The name FACE_DETECTOR and --detector take: {@code tiny}, {@code tiny-search}, {@code haar}, {@code ssd}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static FaceDetector tiny(NDManager weights, int inputSize) {
        return tiny(weights, inputSize, TinyFaceDetector.SCORE_THRESHOLD);
    }

    private static FaceDetector tiny(NDManager weights, int inputSize, double scoreThreshold) {
        return new TinyFaceDetector(TfjsWeights.fromClasspath(TinyFaceDetector.MODEL), weights, inputSize,
                scoreThreshold)::detect;
    }

    /** A new detector of this kind; the nets' weights are made in {@code weights}, HAAR's natives are its own. */
    FaceDetector newDetector(NDManager weights) {
        return switch (this) {
            case TINY -> tiny(weights, TinyFaceDetector.INPUT_SIZE);
            case TINY_SEARCH -> new FaceSearch(tiny(weights, TinyFaceDetector.INPUT_SIZE), TinyFaceDetector.INPUT_SIZE,
                    tiny(weights, SMALL_FACES_INPUT, SMALL_FACES_SCORE));
            case HAAR -> new HaarFaceDetector();
            case SSD -> new SsdMobilenetv1(TfjsWeights.fromClasspath(SsdMobilenetv1.MODEL), weights)::detect;
        };
    }
}
