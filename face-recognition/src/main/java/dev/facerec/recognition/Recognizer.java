package dev.facerec.recognition;

import dev.facerec.common.Outcome;
import dev.facerec.recognition.gallery.Match;
import dev.facerec.recognition.gallery.Matcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Image to identity: every face found, each matched against the gallery, largest first. The outcome is the name of
 * the largest face that matches an enrolled person (a stranger nearer the camera does not hide a known person behind);
 * {@code Unknown} when there are faces but none matches; {@code NoFace} when there is no face. Thread-safe.
 */
public final class Recognizer {

    /** One face and what the gallery says of it. */
    public record RecognizedFace(Face face, Match match) {
    }

    /**
     * The outcome, the faces (largest first), the index of the face that gave the outcome (the largest when none
     * matched; -1 without faces), and where the time went.
     */
    public record Recognition(String outcome, List<RecognizedFace> faces, int primary, Timings timings) {
    }

    /** Milliseconds per stage. */
    public record Timings(double decodeMs, double detectMs, double landmarksMs, double descriptorMs,
                          double matchMs) {
    }

    private final FaceAnalyzer analyzer;

    public Recognizer(FaceAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** {@code image}: JPEG or PNG bytes, as the stage-1 bucket holds them. */
    public Recognition recognize(byte[] image, Matcher matcher) {
        long start = System.nanoTime();
        RgbImage decoded = RgbImage.decode(image);
        long decodedAt = System.nanoTime();
        FaceAnalyzer.Analysis analysis = analyzer.analyzeTimed(decoded);
        long analyzedAt = System.nanoTime();
        Recognition identified = identify(analysis.faces(), matcher);
        long matchedAt = System.nanoTime();
        return new Recognition(identified.outcome(), identified.faces(), identified.primary(),
                new Timings(ms(decodedAt - start), analysis.detectMs(), analysis.landmarksMs(),
                        analysis.descriptorMs(), ms(matchedAt - analyzedAt)));
    }

    /** The outcome rule alone, on faces already found (no timings): what {@link #recognize} answers for them. */
    public static Recognition identify(List<Face> found, Matcher matcher) {
        List<Face> faces = new ArrayList<>(found);
        faces.sort(Comparator.comparingDouble((Face f) -> f.detection().box().area()).reversed());
        List<RecognizedFace> recognized = faces.stream()
                .map(f -> new RecognizedFace(f, matcher.match(f.descriptor())))
                .toList();
        int named = IntStream.range(0, recognized.size())
                .filter(i -> recognized.get(i).match().matched()).findFirst().orElse(-1);
        String outcome = recognized.isEmpty() ? Outcome.NO_FACE
                : named >= 0 ? recognized.get(named).match().name() : Outcome.UNKNOWN;
        int primary = named >= 0 ? named : recognized.isEmpty() ? -1 : 0;
        return new Recognition(outcome, recognized, primary, null);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
