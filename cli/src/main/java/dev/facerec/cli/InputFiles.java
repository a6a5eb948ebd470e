package dev.facerec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The inputs of a batch as people hand them over: files, and folders that stand for the files of the wanted kinds
 * under them (recursively, sorted). A file named is taken whatever its name; a folder with none of those files stays
 * in the list, for its answer to say so.
 */
final class InputFiles {
    /** What the splitter reads (mp4/mov, mkv, webm, avi, MPEG-TS, FLV), by the names such files have. */
    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "m4v", "mov", "mkv", "webm", "avi", "ts", "mts",
            "m2ts", "flv");
    /** Still pictures the recogniser takes as they are. */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png");

    private InputFiles() {
    }

    static List<Path> expand(List<Path> named, Set<String> extensions) throws IOException {
        List<Path> inputs = new ArrayList<>();
        for (Path path : named) {
            if (!Files.isDirectory(path)) {
                inputs.add(path);
                continue;
            }
            try (Stream<Path> under = Files.walk(path)) {
                List<Path> files = under.filter(Files::isRegularFile)
                        .filter(file -> extensions.contains(extension(file))).sorted().toList();
                inputs.addAll(files.isEmpty() ? List.of(path) : files);
            }
        }
        return inputs;
    }

    static boolean isImage(Path file) {
        return IMAGE_EXTENSIONS.contains(extension(file));
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
