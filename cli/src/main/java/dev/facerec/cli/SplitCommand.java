package dev.facerec.cli;

import dev.facerec.common.ObjectKeys;
import dev.facerec.common.io.FileSource;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.splitter.core.ExtractedFrame;
import dev.facerec.splitter.core.FrameExtractor;
import dev.facerec.splitter.core.UnusableVideoException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code faas split --out DIR VIDEO...}: the splitter's frame choice on local files. */
@Command(name = "split", description = {
        "Writes the frame the video-splitting function would choose, as DIR/<stem>.jpg.",
        "Prints one line per video, in input order: <video><TAB><frame time in seconds>, or <video><TAB>Error: <reason>.",
        "Exit status 1 if any video failed."})
final class SplitCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the JPEG frames.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "VIDEO", description = "Video files.")
    List<Path> videos;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OutputFolder.forFolder(out, "--out");
        FrameExtractor.loadNatives();
        FrameExtractor extractor = new FrameExtractor();
        PrintWriter stdout = spec.commandLine().getOut();
        boolean anyFailed = false;
        for (Path video : videos) {
            String line;
            try (FileSource source = FileSource.open(video)) {
                ExtractedFrame frame = extractor.extract(source);
                Path jpeg = out.resolve(ObjectKeys.frameKey(video.getFileName().toString()));
                Files.write(jpeg, frame.jpeg());
                line = String.format(Locale.ROOT, "%.3f", frame.timeSeconds());
            } catch (UnusableVideoException | SourceReadException e) {
                anyFailed = true;
                line = "Error: " + e.getMessage();
            }
            stdout.println(video + "\t" + line);
            stdout.flush();
        }
        return anyFailed ? 1 : 0;
    }
}
