package dev.facerec.recognition.lambda;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.facerec.common.Outcome;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Point;
import dev.facerec.recognition.Recognizer.RecognizedFace;
import dev.facerec.recognition.Recognizer.Recognition;
import dev.facerec.recognition.timeline.Appearance;
import java.util.List;
import java.util.Map;

/**
 * The {@code <stem>.json} of a recognised video: every face of its first frame and its match ({@code faces}, as it
 * always was), who was seen when ({@code people}), each frame when there were several ({@code frames}), whether they
 * cover the whole video ({@code complete}, else {@code incomplete_reason}), and where the time went.
 */
public record RecognitionRecord(
        @JsonProperty("outcome") String outcome,
        @JsonProperty("frame_bucket") String frameBucket,
        @JsonProperty("frame_key") String frameKey,
        @JsonProperty("source_bucket") String sourceBucket,
        @JsonProperty("source_key") String sourceKey,
        @JsonProperty("model") String model,
        @JsonProperty("match_threshold") double matchThreshold,
        @JsonProperty("faces") List<FaceJson> faces,
        @JsonProperty("people") List<Appearance> people,
        @JsonProperty("frames") @JsonInclude(JsonInclude.Include.NON_NULL) List<FrameJson> frames,
        @JsonProperty("complete") boolean complete,
        @JsonProperty("incomplete_reason") @JsonInclude(JsonInclude.Include.NON_NULL) String incompleteReason,
        @JsonProperty("cold_start") boolean coldStart,
        @JsonProperty("timings_ms") Map<String, Double> timingsMs) {

    /** A face: detection box and score, landmarks, the crop the descriptor came from, and the gallery's answer. */
    public record FaceJson(@JsonProperty("box") BoxJson box, @JsonProperty("score") double score,
                           @JsonProperty("landmarks") List<double[]> landmarks,
                           @JsonProperty("align_box") BoxJson alignBox,
                           @JsonProperty("match") String match, @JsonProperty("distance") Double distance,
                           @JsonProperty("similarity") Double similarity,
                           @JsonProperty("matched") boolean matched,
                           @JsonProperty("runner_up") String runnerUp,
                           @JsonProperty("runner_up_distance") Double runnerUpDistance,
                           @JsonProperty("primary") boolean primary) {

        static FaceJson of(RecognizedFace face, boolean primary) {
            var f = face.face();
            var m = face.match();
            return new FaceJson(BoxJson.of(f.detection().box()), f.detection().score(),
                    f.landmarks().points().stream().map((Point p) -> new double[] {p.x(), p.y()}).toList(),
                    BoxJson.of(f.alignBox()), m.name(), Double.isNaN(m.distance()) ? null : m.distance(),
                    Double.isNaN(m.distance()) ? null : m.similarity(), m.matched(),
                    m.runnerUp(), m.runnerUpDistance(), primary);
        }
    }

    /** A box in image pixels. */
    public record BoxJson(@JsonProperty("x") double x, @JsonProperty("y") double y,
                          @JsonProperty("width") double width, @JsonProperty("height") double height) {
        static BoxJson of(Box box) {
            return new BoxJson(box.x(), box.y(), box.width(), box.height());
        }
    }

    /** One frame of several: its key and time, its own outcome and faces, or why it could not be recognised. */
    public record FrameJson(@JsonProperty("key") String key, @JsonProperty("seconds") double seconds,
                            @JsonProperty("outcome") String outcome,
                            @JsonProperty("faces") @JsonInclude(JsonInclude.Include.NON_NULL) List<FaceJson> faces,
                            @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    }

    static List<FrameJson> frames(List<FaceRecognitionService.FrameOutcome> frames) {
        return frames.stream().map(f -> f.recognition() == null
                ? new FrameJson(f.ref().key(), f.ref().seconds(), Outcome.ERROR, null, f.error())
                : new FrameJson(f.ref().key(), f.ref().seconds(), f.recognition().outcome(), faces(f.recognition()),
                        null)).toList();
    }

    static List<FaceJson> faces(Recognition recognition) {
        return java.util.stream.IntStream.range(0, recognition.faces().size())
                .mapToObj(i -> FaceJson.of(recognition.faces().get(i), i == recognition.primary())).toList();
    }
}
