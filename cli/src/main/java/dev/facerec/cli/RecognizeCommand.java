package dev.facerec.cli;

import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Outcome;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.ImageProbe;
import dev.facerec.recognition.Recognizer;
import dev.facerec.recognition.Recognizer.Recognition;
import dev.facerec.recognition.gallery.Matcher;
import dev.facerec.splitter.core.ExtractedFrame;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.UnusableVideoException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code faas recognize}: the splitter's frame choice and the recogniser on local videos, in one process, with one copy
 * of the models; videos run concurrently, as many at once as there are cores.
 */
@Command(name = "recognize", description = {
        "Tells who is in each video. Prints one line per video, in input order:",
        "<video><TAB><name | Unknown | NoFace>, or <video><TAB>Error: <reason>. Exit status 1 if any video failed."})
final class RecognizeCommand implements Callable<Integer> {

    @Option(names = "--gallery", required = true, paramLabel = "FILE|DIR",
            description = "Gallery file (faas enroll), or a photos folder DIR/<Name>/*.jpg enrolled on the fly.")
    Path gallery;

    @Option(names = "--threshold", defaultValue = "0.6", description = "Largest distance that names a person.")
    double threshold;

    @Option(names = "--json", description = "Print one JSON object per video (faces, matches, timings).")
    boolean json;

    @Option(names = "--annotate", paramLabel = "DIR", description = "Write each frame with boxes and names drawn.")
    Path annotate;

    @Option(names = "--threads", description = "Videos processed at once (default: the number of cores).")
    Integer threads;

    @Parameters(arity = "1..*", paramLabel = "VIDEO", description = "Video files.")
    List<Path> videos;

    @Option(names = "--detector", defaultValue = "tiny", converter = DetectorOption.class,
            description = "Face detector: tiny (face-api's TinyFaceDetector, default), haar (OpenCV) or ssd "
                + "(face-api's SsdMobilenetv1).")
    DetectorKind detector;

    @Spec
    CommandSpec spec;

    /** What became of one video. */
    record Result(Path video, String outcome, String error, ExtractedFrame frame, Recognition recognition) {
        boolean failed() {
            return error != null;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (annotate != null) {
            Files.createDirectories(annotate);
        }
        FrameExtractor.loadNatives();
        FrameExtractor extractor = new FrameExtractor();
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        boolean anyFailed = false;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(detector)) {
            Matcher matcher = new Matcher(GalleryOption.load(gallery, analyzer, stderr), threshold);
            Recognizer recognizer = new Recognizer(analyzer);
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            try {
                List<Future<Result>> results = new ArrayList<>();
                for (Path video : videos) {
                    results.add(pool.submit(() -> process(video, extractor, recognizer, matcher)));
                }
                for (Future<Result> future : results) {
                    Result result = future.get();
                    anyFailed |= result.failed();
                    stdout.println(json ? jsonLine(result) : result.video() + "\t"
                            + (result.failed() ? "Error: " + result.error() : result.outcome()));
                    stdout.flush();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return anyFailed ? 1 : 0;
    }

    private Result process(Path video, FrameExtractor extractor, Recognizer recognizer, Matcher matcher) {
        ExtractedFrame frame;
        try (FileSource source = FileSource.open(video)) {
            frame = extractor.extract(source);
        } catch (UnusableVideoException | SourceReadException e) {
            return new Result(video, Outcome.ERROR, e.getMessage(), null, null);
        }
        try {
            ImageProbe.check(frame.jpeg());
            // The JPEG, as the function reads it from the stage-1 bucket: the same pixels, the same answer.
            Recognition recognition = recognizer.recognize(frame.jpeg(), matcher);
            if (annotate != null) {
                Annotator.write(frame.jpeg(), recognition,
                        annotate.resolve(ObjectKeys.frameKey(video.getFileName().toString())));
            }
            return new Result(video, recognition.outcome(), null, frame, recognition);
        } catch (Exception e) {
            return new Result(video, Outcome.ERROR, e.getMessage(), frame, null);
        }
    }

    private static String jsonLine(Result result) throws Exception {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("video", result.video().toString());
        line.put("outcome", result.outcome());
        if (result.failed()) {
            line.put("error", result.error());
        }
        if (result.frame() != null) {
            line.put("frame_time_seconds", result.frame().timeSeconds());
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
                face.put("matched", f.match().matched());
                face.put("runner_up", f.match().runnerUp());
                face.put("runner_up_distance", f.match().runnerUpDistance());
                faces.add(face);
            });
            line.put("faces", faces);
            line.put("timings_ms", result.recognition().timings());
        }
        return Json.MAPPER.writeValueAsString(line);
    }
}
