package dev.facerec.splitter.core;

import dev.facerec.common.io.FileSource;
import java.nio.file.Path;

/**
 * One video's extraction alone in a JVM, for {@link ExtractionInFunctionMemoryTest}: prints what came of it, then waits
 * for its standard input to close, so that its peak memory can be read while it lives. An error (OutOfMemoryError
 * above all) is not caught: the JVM dies of it, as the function's would.
 */
public final class ExtractOneFrame {
    static final String FRAME = "frame ";
    static final String REFUSED = "refused: ";

    private ExtractOneFrame() {
    }

    public static void main(String[] args) throws Exception {
        FrameExtractor.loadNatives();
        try (FileSource source = FileSource.open(Path.of(args[0]))) {
            ExtractedFrame frame = new FrameExtractor().extract(source);
            System.out.println(FRAME + frame.width() + "x" + frame.height());
        } catch (UnusableVideoException e) {
            System.out.println(REFUSED + e.getMessage());
        }
        System.out.flush();
        System.in.read();
    }
}
