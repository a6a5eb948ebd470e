package dev.facerec.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Outcome;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.ImageProbe;
import dev.facerec.recognition.Recognizer;
import dev.facerec.recognition.Recognizer.Recognition;
import dev.facerec.recognition.gallery.Matcher;
import dev.facerec.common.Deadline;
import dev.facerec.recognition.timeline.TimedRecognition;
import dev.facerec.recognition.timeline.Timeline;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.VideoSample;
import dev.facerec.splitter.core.UnusableVideoException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code faas recognize}: the splitter's frame choice and the recogniser on local videos, and the recogniser alone on
 * images, in one process, with one copy of the models; inputs run concurrently, as many at once as there are cores.
 */
@Command(name = "recognize", description = {
        "Tells who is in each video or image (JPEG, PNG). Prints one line per input, in input order:",
        "<video><TAB><name | Unknown | NoFace>, or <video><TAB>Error: <reason>; an image's line ends with <TAB>image.",
        "With --frames keyframes, a video's name is the person seen in the most frames; --json lists everyone seen.",
        "A folder stands for the videos and images under it (recursively, sorted). Exit status 1 if any input failed."})
final class RecognizeCommand implements Callable<Integer> {
    private static final Set<String> VIDEOS_AND_IMAGES = Stream.concat(InputFiles.VIDEO_EXTENSIONS.stream(),
            InputFiles.IMAGE_EXTENSIONS.stream()).collect(Collectors.toUnmodifiableSet());

    @Option(names = "--gallery", required = true, paramLabel = "FILE|DIR",
            description = "Gallery file (faas enroll), or a photos folder DIR/<Name>/*.jpg enrolled on the fly.")
    Path gallery;

    @Mixin
    ThresholdOption threshold;

    @Option(names = "--json", description = "Print one JSON object per input (kind, faces, matches, timings).")
    boolean json;

    @Option(names = "--annotate", paramLabel = "DIR", description = "Write each frame with boxes and names drawn.")
    Path annotate;

    @Option(names = "--threads", converter = ValueRanges.AtLeastOne.class,
            description = "Inputs processed at once (default: the number of cores).")
    Integer threads;

    @Parameters(arity = "1..*", paramLabel = "VIDEO|IMAGE|DIR", description = "Videos, images, or folders of them.")
    List<Path> inputs;

    @Mixin
    DetectorOption detector;

    @Mixin
    FramesOption frames;

    @Mixin
    ProgressOption progress;

    @Spec
    CommandSpec spec;

    /** What the recogniser is given: a video's frame, or an image as it is (JPEG, PNG: by the file's name). */
    enum Kind {
        VIDEO, IMAGE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(Path input) {
            return InputFiles.isImage(input) ? IMAGE : VIDEO;
        }
    }

    /**
     * What became of one input: the recognition of its (first) frame; for a video, its frame time and its timeline
     * (of one frame with {@code --frames first}); an image has neither.
     */
    record Result(Path input, Kind kind, String outcome, String error, Double frameTimeSeconds,
                  Recognition recognition, Timeline timeline, VideoSample sample) {
        static Result failed(Path input, String error) {
            return new Result(input, Kind.of(input), Outcome.ERROR, error, null, null, null, null);
        }

        boolean failed() {
            return error != null;
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Path> files = InputFiles.expand(inputs, VIDEOS_AND_IMAGES);
        if (annotate != null) {
            OutputFolder.forFolder(annotate, "--annotate");
        }
        FrameExtractor.loadNatives();
        FrameExtractor extractor = new FrameExtractor();
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        boolean anyFailed;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(detector.kind)) {
            PrintWriter stderr = spec.commandLine().getErr();
            Matcher matcher = new Matcher(GalleryOption.load(gallery, analyzer, stderr), threshold.value);
            Recognizer recognizer = new Recognizer(analyzer);
            try (BatchProgress shown = progress.start(files.size())) {
                anyFailed = Batch.run(files, workers, input -> answer(process(input, extractor, recognizer, matcher)),
                        (input, failure) -> answer(Result.failed(input, Failures.describe(failure))), shown);
            }
        }
        return anyFailed ? 1 : 0;
    }

    private Result process(Path input, FrameExtractor extractor, Recognizer recognizer, Matcher matcher)
            throws IOException {
        if (Files.isDirectory(input)) {
            return Result.failed(input, "no videos or images in this folder");
        }
        if (Kind.of(input) == Kind.IMAGE) {
            long size = Files.size(input);
            if (size > ImageProbe.MAX_BYTES) {
                return Result.failed(input, "the image is " + size + " bytes, above the limit of "
                        + ImageProbe.MAX_BYTES);
            }
            return recognize(input, Kind.IMAGE, Files.readAllBytes(input), null, recognizer, matcher);
        }
        String name = input.getFileName().toString();
        List<TimedRecognition> seen = new ArrayList<>();
        byte[][] firstJpeg = new byte[1][];
        VideoSample sample;
        try (FileSource source = FileSource.open(input)) {
            // Each frame's JPEG, as the function reads it from the stage-1 bucket: the same pixels, the same answer.
            sample = extractor.sample(source, frames.sampling(), Deadline.none(), frame -> {
                String key = seen.isEmpty() ? ObjectKeys.frameKey(name)
                        : ObjectKeys.sampledFrameKey(name, frame.timeSeconds());
                if (seen.isEmpty()) {
                    firstJpeg[0] = frame.jpeg();
                }
                ImageProbe.check(frame.jpeg());
                seen.add(new TimedRecognition(key, frame.timeSeconds(), recognizer.recognize(frame.jpeg(), matcher)));
            });
        } catch (UnusableVideoException | SourceReadException e) {
            return Result.failed(input, e.getMessage());
        }
        Timeline timeline = Timeline.of(seen);
        TimedRecognition first = seen.get(0);
        if (annotate != null) {
            Annotator.write(firstJpeg[0], first.recognition(), annotate.resolve(ObjectKeys.frameKey(name)));
        }
        return new Result(input, Kind.VIDEO, timeline.outcome(), null, first.seconds(), first.recognition(), timeline,
                sample);
    }

    private Result recognize(Path input, Kind kind, byte[] picture, Double frameTimeSeconds, Recognizer recognizer,
                             Matcher matcher) {
        try {
            ImageProbe.check(picture);
            Recognition recognition = recognizer.recognize(picture, matcher);
            if (annotate != null) {
                Annotator.write(picture, recognition,
                        annotate.resolve(ObjectKeys.frameKey(input.getFileName().toString())));
            }
            return new Result(input, kind, recognition.outcome(), null, frameTimeSeconds, recognition, null, null);
        } catch (Exception e) {
            return new Result(input, kind, Outcome.ERROR, e.getMessage(), frameTimeSeconds, null, null, null);
        }
    }

    private Batch.Answer answer(Result result) {
        return new Batch.Answer(json ? jsonLine(result) : textLine(result), result.failed());
    }

    /** A video's line is {@code <path><TAB><outcome>}, as it always was; an image's has a third column. */
    private static String textLine(Result result) {
        String line = result.input() + "\t" + (result.failed() ? "Error: " + result.error() : result.outcome());
        return result.kind() == Kind.IMAGE ? line + "\t" + Kind.IMAGE.label() : line;
    }

    private static String jsonLine(Result result) {
        Map<String, Object> line = new LinkedHashMap<>();
        // "video" as before (--json only gains fields); "input" and "kind" say the same for images too.
        line.put("video", result.input().toString());
        line.put("input", result.input().toString());
        line.put("kind", result.kind().label());
        line.put("outcome", result.outcome());
        if (result.failed()) {
            line.put("error", result.error());
        }
        if (result.frameTimeSeconds() != null) {
            line.put("frame_time_seconds", result.frameTimeSeconds());
        }
        if (result.recognition() != null) {
            List<Map<String, Object>> faces = new ArrayList<>();
            result.recognition().faces().forEach(f -> {
                Map<String, Object> face = new LinkedHashMap<>();
                var box = f.face().detection().box();
                face.put("box", List.of(box.x(), box.y(), box.width(), box.height()));
                face.put("score", f.face().detection().score());
                face.put("match", f.match().name());
                face.put("distance", f.match().distance());
                face.put("similarity", f.match().similarity());
                face.put("matched", f.match().matched());
                face.put("runner_up", f.match().runnerUp());
                face.put("runner_up_distance", f.match().runnerUpDistance());
                faces.add(face);
            });
            line.put("faces", faces);
            line.put("timings_ms", result.recognition().timings());
        }
        if (result.timeline() != null) {
            line.put("people", result.timeline().people());
            line.put("frames", result.sample().frames());
            line.put("complete", result.sample().complete());
            if (!result.sample().complete()) {
                line.put("incomplete_reason", result.sample().incompleteReason());
            }
        }
        try {
            return Json.MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
