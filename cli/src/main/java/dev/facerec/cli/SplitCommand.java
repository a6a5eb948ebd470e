package dev.facerec.cli;

import dev.facerec.common.ObjectKeys;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.splitter.core.ExtractedFrame;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.UnusableVideoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faas split --out DIR VIDEO...}: the splitter's frame choice on local files. */
@Command(name = "split", description = {
        "Writes the frame the video-splitting function would choose, as DIR/<stem>.jpg.",
        "Prints one line per video, in input order: <video><TAB><frame time in seconds>, or <video><TAB>Error: <reason>.",
        "A folder stands for the videos under it (recursively, sorted). Exit status 1 if any video failed."})
final class SplitCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the JPEG frames.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "VIDEO|DIR", description = "Video files, or folders of them.")
    List<Path> videos;

    @Mixin
    ProgressOption progress;

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
        try (FileSource source = FileSource.open(video)) {
            ExtractedFrame frame = extractor.extract(source);
            Files.write(out.resolve(ObjectKeys.frameKey(video.getFileName().toString())), frame.jpeg());
            return new Batch.Answer(video + "\t" + String.format(Locale.ROOT, "%.3f", frame.timeSeconds()), false);
        } catch (UnusableVideoException | SourceReadException e) {
            return failed(video, e.getMessage());
        }
    }

    private static Batch.Answer failed(Path video, String error) {
        return new Batch.Answer(video + "\tError: " + error, true);
    }
}
