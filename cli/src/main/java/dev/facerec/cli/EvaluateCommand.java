package dev.facerec.cli;

import dev.facerec.common.io.FileSource;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.evaluation.DevSet;
import dev.facerec.recognition.evaluation.DistancePlot;
import dev.facerec.recognition.evaluation.Evaluator;
import dev.facerec.recognition.evaluation.LabelledFrame;
import dev.facerec.recognition.evaluation.QualityReport;
import dev.facerec.splitter.core.FrameExtractor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code faas evaluate}: the recogniser's quality on labelled photos and on the course, measured by the recognition
 * module's {@link Evaluator}; this command only reads the folders, takes the course videos' frames with the splitter,
 * and prints the report.
 */
@Command(name = "evaluate", description = {
        "Measures detection, enrolment, one-shot identification, strangers named and group photos on a labelled set "
                + "laid out as identities/<Name>/*, detection/*.jpg + boxes.csv, groups/*.jpg + labels.csv; "
                + "optionally with the course (gallery/<Name>/*.jpg, videos/, expected.csv).",
        "Prints the figures as Markdown; --plot writes the genuine and impostor distance distributions as a PNG."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--dev", required = true, paramLabel = "DIR", description = "The labelled set.")
    Path dev;

    @Option(names = "--course", paramLabel = "DIR",
            description = "The course: its gallery for the open set and the distances, its videos to identify.")
    Path course;

    @Mixin
    ThresholdOption threshold;

    @Option(names = "--sweep", split = ",", paramLabel = "T[,T...]", defaultValue = "0.45,0.50,0.55,0.60,0.65",
            converter = ValueRanges.MatchThreshold.class,
            description = "Thresholds to report one-shot accuracy and strangers named at (default ${DEFAULT-VALUE}).")
    List<Double> sweep;

    @Mixin
    DetectorOption detector;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Write the distance distributions here.")
    Path plot;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DevSet set = DevSet.read(dev);
        List<DevSet.Identity> courseGallery = course == null ? List.of()
                : DevSet.identities(course.resolve("gallery"));
        List<LabelledFrame> courseFrames = course == null ? List.of() : courseFrames(course);
        QualityReport report;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(detector.kind)) {
            report = new Evaluator(analyzer, detector.kind.label())
                    .evaluate(set, courseGallery, courseFrames, threshold.value, sweep);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.toMarkdown());
        if (plot != null) {
            DistancePlot.write(report.distances(), threshold.value, plot);
            out.println();
            out.println("plot: " + plot);
        }
        out.flush();
        return 0;
    }

    /** The frame the splitter takes of each course video in {@code expected.csv}'s first test case. */
    private static List<LabelledFrame> courseFrames(Path course) throws Exception {
        Path expected = course.resolve("expected.csv");
        if (!Files.isRegularFile(expected)) {
            throw new IOException("no " + expected + " (testcase,video,expected_name)");
        }
        FrameExtractor.loadNatives();
        FrameExtractor extractor = new FrameExtractor();
        List<LabelledFrame> frames = new ArrayList<>();
        for (String line : Files.readAllLines(expected).stream().skip(1).toList()) {
            String[] cells = line.split(",");
            Path video = course.resolve("videos").resolve(cells.length == 3 ? cells[1] : "");
            if (cells.length != 3 || !Files.isRegularFile(video)) {
                continue; // the graded copies (test_case_2) are not in videos/: the 8 originals stand for them
            }
            try (FileSource source = FileSource.open(video)) {
                frames.add(new LabelledFrame(cells[1], extractor.extract(source).jpeg(), cells[2]));
            }
        }
        return frames;
    }
}
