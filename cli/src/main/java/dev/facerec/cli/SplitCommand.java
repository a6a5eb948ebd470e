package dev.facerec.cli;

import dev.facerec.common.Deadline;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.UnusableVideoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faas split --out DIR VIDEO...}: the splitter's frame choice on local files. */
@Command(name = "split", description = {
        "Writes the frames the video-splitting function would choose, as it names them in stage-1: DIR/<stem>.jpg, and",
        "with --frames keyframes the later ones as DIR/<stem>.frames/<seconds>.jpeg.",
        "Prints one line per video, in input order: <video><TAB><frame times in seconds, space-separated>, or",
        "<video><TAB>Error: <reason>.",
        "A folder stands for the videos under it (recursively, sorted). Exit status 1 if any video failed."})
final class SplitCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the JPEG frames.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "VIDEO|DIR", description = "Video files, or folders of them.")
    List<Path> videos;

    @Mixin
    ProgressOption progress;

    @Mixin
    FramesOption frames;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<Path> files = InputFiles.expand(videos, InputFiles.VIDEO_EXTENSIONS);
        OutputFolder.forFolder(out, "--out");
        FrameExtractor.loadNatives();
        FrameExtractor extractor = new FrameExtractor();
        try (BatchProgress shown = progress.start(files.size())) {
            // One video at a time: an 8K frame takes 100 MB as BGR.
            boolean anyFailed = Batch.run(files, 1, video -> split(video, extractor),
                    (video, failure) -> failed(video, Failures.describe(failure)), shown);
            return anyFailed ? 1 : 0;
        }
    }

    private Batch.Answer split(Path video, FrameExtractor extractor) throws IOException {
        if (Files.isDirectory(video)) {
            return failed(video, "no videos in this folder");
        }
        String name = video.getFileName().toString();
        List<String> times = new ArrayList<>();
        try (FileSource source = FileSource.open(video)) {
            extractor.sample(source, frames.sampling(), Deadline.none(), frame -> {
                Path file = out.resolve(times.isEmpty() ? ObjectKeys.frameKey(name)
                        : ObjectKeys.sampledFrameKey(name, frame.timeSeconds()));
                try {
                    Files.createDirectories(file.getParent());
                    Files.write(file, frame.jpeg());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                times.add(String.format(Locale.ROOT, "%.3f", frame.timeSeconds()));
            });
            return new Batch.Answer(video + "\t" + String.join(" ", times), false);
        } catch (UnusableVideoException | SourceReadException e) {
            return failed(video, e.getMessage());
        }
    }

    private static Batch.Answer failed(Path video, String error) {
        return new Batch.Answer(video + "\tError: " + error, true);
    }
}
