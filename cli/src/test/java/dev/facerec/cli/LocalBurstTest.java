package dev.facerec.cli;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.toList;
import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.facerec.cli.local.LocalStack;
import dev.facerec.common.Env;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.common.testing.CourseWorkload;
import dev.facerec.common.testing.SharedData;
import dev.facerec.common.testing.TestAws;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.GalleryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The 100 graded videos uploaded at once through faas local, from several threads: a burst of S3 events. Every video
 * must come out with exactly one outcome, the grader's name, from exactly one split and one recognition, none lost and
 * none duplicated; at the default concurrency, and with face-recognition held to one execution, its invocations
 * queueing behind it.
 */
class LocalBurstTest {
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final int UPLOADERS = 8;

    @TempDir
    static Path folder;
    private static Path gallery;

    @BeforeAll
    static void enrollOnce() throws IOException {
        // A gallery file loads in milliseconds: each stack need not enroll the photos again.
        gallery = folder.resolve("gallery.json");
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(DetectorKind.DEFAULT)) {
            Files.write(gallery, GalleryJson.write(GalleryOption.load(SharedData.seedGallery(), analyzer,
                    new PrintWriter(System.err, true))));
        }
    }

    @Test
    void everyVideoOfABurstComesOutOnceAndRight() throws Exception {
        LocalStack.Load recognition = burst();
        int processors = Runtime.getRuntime().availableProcessors();
        assertThat(recognition.peakRunning()).as("recognitions at once").isBetween(1, processors);
        if (processors > 1) {
            // The count sees overlap when there is some, so the 1 of the next test means one at a time.
            assertThat(recognition.peakRunning()).as("recognitions at once in a burst on %d processors", processors)
                    .isGreaterThan(1);
        }
    }

    @Test
    void withOneRecognitionAtATimeTheBurstQueuesAndNothingIsDropped() throws Exception {
        LocalStack.Load recognition = burst("--recognition-concurrency", "1");
        assertThat(recognition.peakRunning()).as("recognitions at once").isEqualTo(1);
        // More invoked than running: the rest waited in the queue.
        assertThat(recognition.peakPending()).as("recognitions invoked and not finished, at most").isGreaterThan(1);
    }

    /**
     * Starts faas local with these options, uploads the 100 videos at once, checks what came out, stops it, and says
     * how busy face-recognition got.
     */
    private static LocalStack.Load burst(String... options) throws Exception {
        List<CourseWorkload.Video> videos = CourseWorkload.graded();
        Map<String, String> expected = videos.stream()
                .collect(toMap(CourseWorkload.Video::name, CourseWorkload.Video::expectedName));
        StringWriter printed = new StringWriter();
        LocalCommand command = new LocalCommand();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(printed, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        List<String> args = new ArrayList<>(List.of("--port", "0", "--gallery", gallery.toString()));
        args.addAll(List.of(options));
        cli.parseArgs(args.toArray(String[]::new));

        double seconds;
        Map<String, String> outcomes;
        Set<String> outputKeys;
        Set<String> stageKeys;
        LocalStack stack = command.start();
        try (stack; S3Client s3 = AwsClients.s3(AwsSettings.from(new Env(TestAws.environment(stack.port(), null))))) {
            long start = System.nanoTime();
            ExecutorService uploaders = Executors.newFixedThreadPool(UPLOADERS);
            try {
                List<Future<?>> uploads = new ArrayList<>();
                for (CourseWorkload.Video video : videos) {
                    uploads.add(uploaders.submit(() -> s3.putObject(b -> b.bucket("faas-input").key(video.name()),
                            RequestBody.fromFile(video.source()))));
                }
                for (Future<?> upload : uploads) {
                    upload.get();
                }
            } finally {
                uploaders.shutdownNow();
            }

            long deadline = start + PATIENCE.toNanos();
            while (keys(s3, "faas-output").stream().filter(k -> k.endsWith(".txt")).count() < videos.size()) {
                if (System.nanoTime() > deadline) {
                    fail("fewer than %d outcomes in s3://faas-output after %s; faas local printed:%n%s",
                            videos.size(), PATIENCE, printed);
                }
                Thread.sleep(1000); // a listing costs S3Mock a read of every object's metadata
            }
            seconds = (System.nanoTime() - start) / 1e9;
            outputKeys = keys(s3, "faas-output");
            stageKeys = keys(s3, "faas-stage");
            outcomes = outputKeys.stream().filter(k -> k.endsWith(".txt")).collect(toMap(Function.identity(),
                    k -> s3.getObjectAsBytes(b -> b.bucket("faas-output").key(k)).asUtf8String()));
        }
        // Stopped: the functions have drained, so every attempt has printed its line.
        LocalStack.Load splitting = stack.splittingLoad();
        LocalStack.Load recognition = stack.recognitionLoad();
        System.out.printf(Locale.ROOT, "burst: %d videos, recognition concurrency %d: %.1f s from the first upload "
                        + "to the last outcome; at most %d recognitions at once (%d invoked and unfinished), "
                        + "at most %d splits at once (%d)%n", videos.size(), command.stackOptions.recognitionConcurrency,
                seconds, recognition.peakRunning(), recognition.peakPending(), splitting.peakRunning(),
                splitting.peakPending());

        String steps = printed.toString();
        assertThat(steps).doesNotContain("abandoned");
        List<String[]> lines = steps.lines().map(line -> line.split("\t", 4)).filter(cells -> cells.length == 4)
                .toList();
        assertThat(lines.stream().filter(cells -> cells[3].startsWith("failed"))
                .map(cells -> String.join("\t", cells)))
                .as("failed attempts (each retried), in a burst that should need none").isEmpty();
        Map<String, Long> ones = expected.keySet().stream().collect(toMap(Function.identity(), video -> 1L));
        assertThat(lines.stream().filter(cells -> cells[1].equals("video-splitting"))
                .filter(cells -> cells[3].matches("frame at \\d+\\.\\d{3} s -> face-recognition"))
                .collect(groupingBy(cells -> cells[0], counting())))
                .as("frames handed on, per video").isEqualTo(ones);
        assertThat(lines.stream().filter(cells -> cells[1].equals("face-recognition"))
                .collect(groupingBy(cells -> cells[0], mapping(cells -> cells[3], toList()))))
                .as("recognitions per video").isEqualTo(expected.entrySet().stream()
                        .collect(toMap(Map.Entry::getKey, e -> List.of(e.getValue()))));
        assertThat(lines).as("step lines").hasSize(2 * videos.size());

        assertThat(outcomes).isEqualTo(expected.entrySet().stream()
                .collect(toMap(e -> ObjectKeys.outcomeKey(e.getKey()), Map.Entry::getValue)));
        assertThat(outputKeys).as("the output bucket: an outcome and a record per video, nothing else")
                .isEqualTo(expected.keySet().stream()
                        .flatMap(video -> List.of(ObjectKeys.outcomeKey(video), ObjectKeys.recordKey(video)).stream())
                        .collect(Collectors.toSet()));
        assertThat(stageKeys).as("the stage bucket: a frame per video")
                .isEqualTo(expected.keySet().stream().map(ObjectKeys::frameKey).collect(Collectors.toSet()));
        return recognition;
    }

    private static Set<String> keys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .collect(Collectors.toSet());
    }
}
