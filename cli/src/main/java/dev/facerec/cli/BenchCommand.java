package dev.facerec.cli;

import dev.facerec.common.Deadline;
import dev.facerec.common.Json;
import dev.facerec.common.io.FileSource;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.Recognizer;
import dev.facerec.recognition.Recognizer.Recognition;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryFiles;
import dev.facerec.recognition.gallery.Matcher;
import dev.facerec.splitter.core.ExtractedFrame;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.FrameSampling;
import dev.facerec.splitter.core.VideoSample;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code faas bench}: in one process and one run, the cold init of each stage, the warm per-stage medians per video,
 * the whole video → name latency next to the ffmpeg command-line tool extracting the same frame, the throughput on a
 * workload at one thread and at all cores, the peak RSS, and what that would cost on Lambda.
 */
@Command(name = "bench", description = "Measures the pipeline on a folder of videos and prints a table.")
final class BenchCommand implements Callable<Integer> {

    // AWS Lambda public on-demand prices (us-east-1, as published since 2022; not re-checked from this offline machine).
    private static final double X86_PER_GB_SECOND = 0.0000166667;
    private static final double ARM_PER_GB_SECOND = 0.0000133334;
    private static final double PER_REQUEST = 0.20 / 1_000_000;

    @Option(names = "--videos", paramLabel = "DIR", description = "Folder of videos to time (needed unless "
            + "--gallery-size is given).")
    Path videos;

    @Option(names = "--gallery-size", split = ",", paramLabel = "N", converter = ValueRanges.AtLeastOne.class,
            description = {"Instead of videos: the gallery at scale. For each N, the --gallery plus synthetic people "
                    + "up to N descriptors, written as a file; then, in a JVM of its own, the time to load it, the "
                    + "time to match one face, and the peak RSS. E.g. --gallery-size 1000,10000,100000,1000000."})
    List<Integer> gallerySizes;

    @Option(names = "--gallery-format", defaultValue = "2", paramLabel = "1|2",
            description = "With --gallery-size: the file's format, 1 (JSON) or 2 (binary, the default).")
    int galleryFormat;

    @Option(names = "--gallery", paramLabel = "FILE|DIR",
            description = "Gallery file or photos folder (without it only the splitter is measured).")
    Path gallery;

    @Option(names = "--workload", paramLabel = "DIR",
            description = "Folder of videos for the throughput run (e.g. the 100-video course workload).")
    Path workload;

    @Option(names = "--runs", defaultValue = "15", converter = ValueRanges.AtLeastOne.class,
            description = "Warm runs per video (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "ffmpeg executable to compare with.")
    String ffmpeg;

    @Option(names = "--split-memory-mb", defaultValue = "1024",
            description = "Splitter memory for the cost estimate (template.yaml: 1024).")
    int splitMemoryMb;

    @Option(names = "--recognize-memory-mb", defaultValue = "1769",
            description = "Recogniser memory for the cost estimate (template.yaml: 1769).")
    int recognizeMemoryMb;

    @Option(names = "--keyframes", description = "Also time FRAMES=keyframes (--frame-interval, --max-frames) on each "
            + "video: frames per second extracted, bytes read, and the recogniser's time per frame.")
    boolean keyframes;

    @Mixin
    KeyframeSettings keyframeSettings;

    /** The interval and frame limit of {@code --keyframes}. */
    static final class KeyframeSettings {
        @Option(names = "--frame-interval", defaultValue = "1", converter = ValueRanges.PositiveSeconds.class,
                paramLabel = "SECONDS", description = "With --keyframes: at most one frame per SECONDS (default 1).")
        double intervalSeconds;

        @Option(names = "--max-frames", defaultValue = "120", converter = ValueRanges.FramesPerVideo.class,
                paramLabel = "N", description = "With --keyframes: at most N frames per video (default 120).")
        int maxFrames;
    }

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Mixin
    ProgressOption progress;

    @Spec
    CommandSpec spec;

    private final Map<String, Object> report = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (gallerySizes != null) {
            return galleryAtScale(out);
        }
        if (videos == null) {
            throw new CommandFailure("give --videos DIR (or --gallery-size N with --gallery)");
        }
        long processStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        List<Path> files = videoFiles(videos);

        long t0 = System.nanoTime();
        FrameExtractor.loadNatives();
        FrameExtractor extractor = new FrameExtractor();
        double ffmpegInitMs = millis(System.nanoTime() - t0);
        Map<String, Object> init = new LinkedHashMap<>();
        init.put("ffmpeg_natives_ms", ffmpegInitMs);
        FaceAnalyzer analyzer = null;
        Matcher matcher = null;
        if (gallery != null) {
            t0 = System.nanoTime();
            analyzer = FaceAnalyzer.create(DetectorKind.DEFAULT);
            init.put("engine_and_weights_ms", millis(System.nanoTime() - t0));
            t0 = System.nanoTime();
            matcher = new Matcher(GalleryOption.load(gallery, analyzer, spec.commandLine().getErr()),
                    Matcher.DEFAULT_THRESHOLD);
            init.put("gallery_ms", millis(System.nanoTime() - t0));
        }
        Recognizer recognizer = analyzer == null ? null : new Recognizer(analyzer);
        t0 = System.nanoTime();
        runOnce(extractor, recognizer, matcher, files.get(0));
        init.put("first_video_ms", millis(System.nanoTime() - t0));
        init.put("jvm_start_to_first_answer_ms", (double) (System.currentTimeMillis() - processStart));
        report.put("cold_init", init);
        out.println("cold init (ms): " + format(init));

        boolean haveFfmpeg = ffmpegWorks();
        out.printf(Locale.ROOT, "%-12s %8s %6s %6s %6s %6s %6s %6s %6s %8s %8s %6s%n", "video", "decode", "jpeg",
                "jdec", "detect", "lmarks", "descr", "match", "faces", "total", "ffmpeg", "ratio");
        List<Map<String, Object>> perVideo = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        Path scratch = Files.createTempDirectory("faas-bench");
        try {
            for (Path video : files) {
                Map<String, double[]> stages = new LinkedHashMap<>();
                for (String stage : List.of("open_decode", "jpeg", "jpeg_decode", "detect", "landmarks",
                        "descriptor", "match", "total")) {
                    stages.put(stage, new double[runs]);
                }
                int faces = 0;
                for (int i = 0; i < runs; i++) {
                    long start = System.nanoTime();
                    Sample sample = runOnce(extractor, recognizer, matcher, video);
                    stages.get("total")[i] = millis(System.nanoTime() - start);
                    stages.get("open_decode")[i] = sample.frame().timings().openDecodeMs();
                    stages.get("jpeg")[i] = sample.frame().timings().jpegMs();
                    if (sample.recognition() != null) {
                        Recognizer.Timings t = sample.recognition().timings();
                        stages.get("jpeg_decode")[i] = t.decodeMs();
                        stages.get("detect")[i] = t.detectMs();
                        stages.get("landmarks")[i] = t.landmarksMs();
                        stages.get("descriptor")[i] = t.descriptorMs();
                        stages.get("match")[i] = t.matchMs();
                        faces = sample.recognition().faces().size();
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("video", video.getFileName().toString());
                stages.forEach((stage, values) -> row.put(stage + "_median_ms", median(values)));
                row.put("faces", faces);
                double total = median(stages.get("total"));
                totals.add(total);
                String cli = "n/a";
                String ratio = "";
                if (haveFfmpeg) {
                    double[] whole = new double[Math.min(runs, 7)];
                    for (int i = 0; i < whole.length; i++) {
                        whole[i] = runFfmpeg(video, scratch.resolve("out.jpg"));
                    }
                    double cliMedian = median(whole);
                    row.put("ffmpeg_cli_median_ms", cliMedian);
                    cli = String.format(Locale.ROOT, "%.1f", cliMedian);
                    ratio = String.format(Locale.ROOT, "%.2f", total / cliMedian);
                }
                perVideo.add(row);
                // Without a gallery only the splitter ran: its columns, and dashes for the recogniser's.
                String recognition = recognizer == null ? String.format(Locale.ROOT, "%6s %6s %6s %6s %6s %6s",
                        "-", "-", "-", "-", "-", "-") : String.format(Locale.ROOT, "%6.1f %6.1f %6.1f %6.1f %6.2f %6d",
                        median(stages.get("jpeg_decode")), median(stages.get("detect")),
                        median(stages.get("landmarks")), median(stages.get("descriptor")),
                        median(stages.get("match")), faces);
                out.printf(Locale.ROOT, "%-12s %8.1f %6.1f %s %8.1f %8s %6s%n", video.getFileName(),
                        median(stages.get("open_decode")), median(stages.get("jpeg")), recognition, total, cli, ratio);
                out.flush();
            }
        } finally {
            Files.deleteIfExists(scratch.resolve("out.jpg"));
            Files.deleteIfExists(scratch);
        }
        if (!haveFfmpeg) {
            out.println("(ffmpeg CLI not found: '" + ffmpeg + "'; install it to compare)");
        }
        double medianTotal = median(totals.stream().mapToDouble(Double::doubleValue).toArray());
        report.put("videos", perVideo);
        report.put("warm_video_to_name_median_ms", medianTotal);
        out.printf(Locale.ROOT, "warm video -> %s: median over videos %.1f ms%n",
                recognizer == null ? "frame" : "name", medianTotal);

        if (keyframes) {
            keyframes(extractor, recognizer, matcher, files, out);
        }

        if (workload != null) {
            List<Path> batch = videoFiles(workload);
            int cores = Runtime.getRuntime().availableProcessors();
            for (int threads : cores > 1 ? List.of(1, cores) : List.of(1)) {
                double seconds = throughput(extractor, recognizer, matcher, batch, threads);
                report.put("workload_" + threads + "_threads_seconds", seconds);
                out.printf(Locale.ROOT, "%n%d videos at %d thread(s): %.1f s (%.1f videos/s)%n", batch.size(), threads,
                        seconds, batch.size() / seconds);
            }
        }

        long peakRssKb = peakRssKb();
        report.put("peak_rss_mb", peakRssKb / 1024.0);
        out.printf(Locale.ROOT, "peak RSS: %.0f MB%n", peakRssKb / 1024.0);
        if (recognizer != null) {
            cost(perVideo, out);
        }
        if (json != null) {
            Files.write(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        }
        if (analyzer != null) {
            analyzer.close();
        }
        return 0;
    }

    record Sample(ExtractedFrame frame, Recognition recognition) {
    }

    /**
     * FRAMES=keyframes on each video, {@code runs} times: the splitter's whole sampling (open, seeks, decodes, JPEGs)
     * per frame, the share of the file read, and the recogniser's time per frame (decode to match).
     */
    private void keyframes(FrameExtractor extractor, Recognizer recognizer, Matcher matcher, List<Path> files,
                           PrintWriter out) throws Exception {
        FrameSampling sampling = FrameSampling.keyframes(keyframeSettings.intervalSeconds, keyframeSettings.maxFrames);
        out.printf(Locale.ROOT, "%nkeyframes (%s)%n%-12s %7s %7s %9s %10s %9s %9s %10s %9s%n", sampling, "video",
                "length", "frames", "read %", "extract ms", "ms/frame", "frames/s", "recog ms", "frames/s");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path video : files) {
            double[] extractMs = new double[runs];
            List<byte[]> jpegs = new ArrayList<>();
            VideoSample sample = null;
            long read = 0;
            for (int i = 0; i < runs; i++) {
                List<byte[]> taken = new ArrayList<>();
                long start = System.nanoTime();
                try (FileSource source = FileSource.open(video)) {
                    sample = extractor.sample(source, sampling, Deadline.none(), frame -> taken.add(frame.jpeg()));
                    read = source.bytesFetched();
                }
                extractMs[i] = millis(System.nanoTime() - start);
                jpegs = taken;
            }
            double extract = median(extractMs);
            double perFrame = extract / sample.frames();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("video", video.getFileName().toString());
            row.put("length_seconds", sample.video().durationSeconds());
            row.put("frames", sample.frames());
            row.put("seeked", sample.seeked());
            row.put("bytes_read", read);
            row.put("bytes", Files.size(video));
            row.put("extract_median_ms", extract);
            row.put("extract_ms_per_frame", perFrame);
            String recognition = "";
            if (recognizer != null) {
                double[] perFrameMs = new double[jpegs.size()];
                for (int f = 0; f < jpegs.size(); f++) {
                    long start = System.nanoTime();
                    recognizer.recognize(jpegs.get(f), matcher);
                    perFrameMs[f] = millis(System.nanoTime() - start);
                }
                double recognise = median(perFrameMs);
                row.put("recognise_median_ms_per_frame", recognise);
                recognition = String.format(Locale.ROOT, "%10.1f %9.1f", recognise, 1000 / recognise);
            }
            rows.add(row);
            out.printf(Locale.ROOT, "%-12s %6.0fs %7d %8.1f%% %10.1f %9.1f %9.1f %s%n", video.getFileName(),
                    sample.video().durationSeconds(), sample.frames(), 100.0 * read / Files.size(video), extract,
                    perFrame, 1000 / perFrame, recognition);
            out.flush();
        }
        report.put("keyframes", rows);
    }

    private static Sample runOnce(FrameExtractor extractor, Recognizer recognizer, Matcher matcher, Path video)
            throws Exception {
        try (FileSource source = FileSource.open(video)) {
            ExtractedFrame frame = extractor.extract(source);
            return new Sample(frame, recognizer == null ? null : recognizer.recognize(frame.jpeg(), matcher));
        }
    }

    private double throughput(FrameExtractor extractor, Recognizer recognizer, Matcher matcher, List<Path> batch,
                              int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BatchProgress shown = progress.start(batch.size())) {
            long start = System.nanoTime();
            List<Future<Sample>> futures = new ArrayList<>();
            for (Path video : batch) {
                futures.add(pool.submit(() -> runOnce(extractor, recognizer, matcher, video)));
            }
            for (Future<Sample> future : futures) {
                future.get();
                shown.step();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Lambda bills each function's duration (rounded up to 1 ms) times its memory, plus a price per request. */
    private void cost(List<Map<String, Object>> perVideo, PrintWriter out) {
        double splitMs = median(perVideo.stream().mapToDouble(r -> (double) r.get("open_decode_median_ms")
                + (double) r.get("jpeg_median_ms")).toArray());
        double recognizeMs = median(perVideo.stream().mapToDouble(r -> (double) r.get("jpeg_decode_median_ms")
                + (double) r.get("detect_median_ms") + (double) r.get("landmarks_median_ms")
                + (double) r.get("descriptor_median_ms") + (double) r.get("match_median_ms")).toArray());
        double gbSeconds = (Math.ceil(splitMs) / 1000 * splitMemoryMb + Math.ceil(recognizeMs) / 1000
                * recognizeMemoryMb) / 1024;
        double x86 = 1000 * (gbSeconds * X86_PER_GB_SECOND + 2 * PER_REQUEST);
        double arm = 1000 * (gbSeconds * ARM_PER_GB_SECOND + 2 * PER_REQUEST);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("split_compute_ms", splitMs);
        cost.put("recognize_compute_ms", recognizeMs);
        cost.put("split_memory_mb", splitMemoryMb);
        cost.put("recognize_memory_mb", recognizeMemoryMb);
        cost.put("usd_per_1000_videos_x86", x86);
        cost.put("usd_per_1000_videos_arm64", arm);
        report.put("lambda_cost_estimate", cost);
        out.printf(Locale.ROOT, "Lambda cost per 1000 videos (compute measured here, %d + %d MB, warm, "
                        + "S3 requests not included): x86 $%.4f, arm64 $%.4f%n", splitMemoryMb, recognizeMemoryMb,
                x86, arm);
    }

    private int galleryAtScale(PrintWriter out) throws IOException, InterruptedException {
        if (gallery == null) {
            throw new CommandFailure("--gallery-size needs --gallery: the real people the synthetic ones are made from");
        }
        if (galleryFormat != 1 && galleryFormat != 2) {
            throw new CommandFailure("--gallery-format is 1 (JSON) or 2 (binary), not " + galleryFormat);
        }
        Gallery real;
        if (Files.isDirectory(gallery)) {
            try (FaceAnalyzer analyzer = FaceAnalyzer.create(DetectorKind.DEFAULT)) {
                real = GalleryOption.load(gallery, analyzer, spec.commandLine().getErr());
            }
        } else {
            real = GalleryOption.readFile(gallery);
        }
        out.printf("gallery at scale: %s (%d people, %d descriptors) plus synthetic people, format %d%n", gallery,
                real.personCount(), real.descriptorCount(), galleryFormat);
        report.put("gallery_scale", GalleryScaleBench.run(real, gallerySizes,
                galleryFormat == 1 ? GalleryFiles.Format.JSON : GalleryFiles.Format.BINARY, out));
        report.put("peak_rss_mb_of_this_process", peakRssKb() / 1024.0);
        if (json != null) {
            Files.write(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        }
        return 0;
    }

    static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static List<Path> videoFiles(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            List<Path> files = list.filter(Files::isRegularFile).sorted().toList();
            if (files.isEmpty()) {
                throw new IOException("no videos in " + folder);
            }
            return files;
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

    private static String format(Map<String, Object> values) {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=')
                .append(String.format(Locale.ROOT, "%.0f", (Double) v)).append(' '));
        return text.toString().trim();
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
