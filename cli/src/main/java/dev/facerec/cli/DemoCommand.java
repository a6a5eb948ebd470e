package dev.facerec.cli;

import dev.facerec.cli.demo.DemoReport;
import dev.facerec.cli.demo.DemoRun;
import dev.facerec.cli.demo.DemoScenario;
import dev.facerec.cli.local.LocalStack;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Matcher;
import java.net.InetAddress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code faas demo}: the serverless flow on data the jar carries. It makes the people and videos of
 * {@link DemoScenario}, starts the local stack of {@code faas local}, enrols the people into its gallery bucket,
 * uploads the videos through its S3 endpoint, and reads back each outcome.
 */
@Command(name = "demo", description = {
        "Runs the whole pipeline on a built-in demo: no AWS, no network, nothing but this jar.",
        "Two people are enrolled from faces cut out of the sample photos of the face-api package; seven videos made "
                + "from those photos are uploaded to a local stack (S3Mock and both real functions).",
        "Prints one line per video (video, expected, got), who was seen when, a summary and the path of an HTML "
                + "report; --frames keyframes recognises every keyframe, not only the first. "
                + "Exit status 0 only if every outcome is the expected one."})
final class DemoCommand implements Callable<Integer> {
    /** The whole demo takes some 30 s on 2 cores; this only stops a wait that would never end. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "faas-demo",
            description = "Folder for the demo's photos, videos and report.html (default ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    LocalStackOptions stackOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("faas demo: making the demo's photos and videos, then starting the local stack ...");
        stdout.flush();
        Files.createDirectories(out);
        DemoRun run = new DemoRun();
        DemoScenario.Written scenario;
        List<DemoRun.Result> results;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
            scenario = DemoScenario.write(out, analyzer, stackOptions.frames.mode);
            // The gallery is enrolled from the cut-out photos exactly as faas enroll does it.
            try (LocalStack stack = LocalStack.start(stackOptions.settings(InetAddress.getLoopbackAddress(), 0, 0, null), () -> new Enroller(analyzer)
                    .enroll(scenario.photos()).gallery(), run)) {
                stdout.printf("enrolled %d people into %s; uploading %d videos to s3://%s%n",
                        stack.gallery().personCount(), stack.galleryUri(), scenario.videos().size(),
                        stack.inputBucket());
                stdout.flush();
                results = run.run(stack, scenario.videos(), PATIENCE);
            }
        }
        run.notes().forEach(spec.commandLine().getErr()::println);
        double seconds = (System.nanoTime() - start) / 1e9;
        Path report = out.resolve("report.html").toAbsolutePath();
        DemoReport.write(report, scenario, results, Matcher.DEFAULT_THRESHOLD, seconds);

        int width = results.stream().mapToInt(r -> r.video().name().length()).max().orElse(5) + 2;
        String row = "%-" + width + "s%-20s%-20s%s%n";
        stdout.printf(row, "video", "expected", "got", "");
        for (DemoRun.Result result : results) {
            stdout.printf(row, result.video().name(), result.video().expected(), result.outcome(),
                    result.asExpected() ? "ok" : "WRONG");
        }
        stdout.printf("who was seen when (FRAMES=%s):%n", stackOptions.frames.mode.label());
        for (DemoRun.Result result : results) {
            String seen = DemoRun.timeline(result);
            if (!seen.isEmpty()) {
                stdout.printf("  %-" + width + "s%s%n", result.video().name(), seen);
            }
        }
        long expected = results.stream().filter(DemoRun.Result::asExpected).count();
        stdout.printf(Locale.ROOT, "%d of %d videos as expected, in %.1f s%n", expected, results.size(), seconds);
        stdout.println("report: " + report);
        stdout.println("Why each answer is expected, and what the demo does not show: the report's first lines.");
        stdout.flush();
        return expected == results.size() ? 0 : 1;
    }
}
