package dev.facerec.cli;

import dev.facerec.common.io.FileSource;
import dev.facerec.splitter.core.ExtractedFrame;
import dev.facerec.splitter.core.FrameExtractor;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code faas bench}: measures, in this one process, the splitter's cold init and its warm time per video (open to
 * JPEG bytes in hand), next to the ffmpeg command-line tool extracting the same frame (whole process) when it is on
 * the PATH.
 */
@Command(name = "bench", description = "Measures the pipeline on a folder of videos and prints a table.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--videos", required = true, paramLabel = "DIR", description = "Folder of videos (*.mp4 ...).")
    Path videos;

    @Option(names = "--runs", defaultValue = "15", description = "Warm runs per video (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "ffmpeg executable to compare with.")
    String ffmpeg;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long processStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long initStart = System.nanoTime();
        FrameExtractor.loadNatives();
        FrameExtractor extractor = new FrameExtractor();
        double nativesMs = millis(System.nanoTime() - initStart);
        List<Path> files = videoFiles();
        double firstVideoMs = timeOnce(extractor, files.get(0));
        double processToReadyMs = System.currentTimeMillis() - processStart;

        out.printf(Locale.ROOT, "splitter init: FFmpeg natives %.0f ms, first video (cold) %.0f ms, "
                + "JVM start to first frame %.0f ms%n", nativesMs, firstVideoMs, processToReadyMs);
        boolean haveFfmpeg = ffmpegWorks();
        out.printf(Locale.ROOT, "%-14s %10s %12s %14s %16s %8s%n", "video", "size", "bytes read",
                "warm median ms", "ffmpeg CLI ms", "ratio");
        Path scratch = Files.createTempDirectory("faas-bench");
        try {
            for (Path video : files) {
                double[] warm = new double[runs];
                long bytesRead = 0;
                for (int i = 0; i < runs; i++) {
                    try (FileSource source = FileSource.open(video)) {
                        long start = System.nanoTime();
                        extractor.extract(source);
                        warm[i] = millis(System.nanoTime() - start);
                        bytesRead = source.bytesFetched();
                    }
                }
                double warmMedian = median(warm);
                String cli = "n/a";
                String ratio = "";
                if (haveFfmpeg) {
                    double[] whole = new double[Math.min(runs, 7)];
                    for (int i = 0; i < whole.length; i++) {
                        whole[i] = runFfmpeg(video, scratch.resolve("out.jpg"));
                    }
                    double cliMedian = median(whole);
                    cli = String.format(Locale.ROOT, "%.1f", cliMedian);
                    ratio = String.format(Locale.ROOT, "%.2f", warmMedian / cliMedian);
                }
                out.printf(Locale.ROOT, "%-14s %10d %12d %14.1f %16s %8s%n", video.getFileName(), Files.size(video),
                        bytesRead, warmMedian, cli, ratio);
                out.flush();
            }
        } finally {
            try (Stream<Path> left = Files.list(scratch)) {
                for (Path p : left.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(scratch);
        }
        if (!haveFfmpeg) {
            out.println("(ffmpeg CLI not found: '" + ffmpeg + "'; install it to compare)");
        }
        return 0;
    }

    private List<Path> videoFiles() throws IOException {
        try (Stream<Path> list = Files.list(videos)) {
            List<Path> files = list.filter(Files::isRegularFile).sorted().toList();
            if (files.isEmpty()) {
                throw new IOException("no videos in " + videos);
            }
            return files;
        }
    }

    private static double timeOnce(FrameExtractor extractor, Path video) throws Exception {
        try (FileSource source = FileSource.open(video)) {
            long start = System.nanoTime();
            ExtractedFrame ignored = extractor.extract(source);
            return millis(System.nanoTime() - start);
        }
    }

    private boolean ffmpegWorks() {
        try {
            Process p = new ProcessBuilder(ffmpeg, "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The whole ffmpeg process, as a user would run it: {@code ffmpeg -ss 0 -i X -vframes 1 out.jpg}. */
    private double runFfmpeg(Path video, Path jpeg) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Arrays.asList(ffmpeg, "-v", "error", "-y", "-ss", "0", "-i",
                video.toString(), "-vframes", "1", jpeg.toString()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed on " + video);
        }
        return millis(System.nanoTime() - start);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
