package dev.facerec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder a command writes to, made ready before any work, so that an option naming a place that cannot be written
 * is told at once, by its name.
 */
final class OutputFolder {
    private OutputFolder() {
    }

    /** {@code option} names a folder ({@code --out DIR}). */
    static void forFolder(Path folder, String option) {
        create(folder, option, folder);
    }

    /** {@code option} names a file ({@code --out FILE}): its folder, and no folder in the file's place. */
    static void forFile(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new CommandFailure("cannot write to " + option + " " + file + ": it is a folder; give a file's name");
        }
        create(file.toAbsolutePath().getParent(), option, file);
    }

    private static void create(Path folder, String option, Path given) {
        String cannot = "cannot write to " + option + " " + given + ": ";
        String chooseAnother = "; choose another " + option;
        for (Path above = folder.toAbsolutePath(); above != null; above = above.getParent()) {
            if (Files.exists(above)) {
                if (!Files.isDirectory(above)) {
                    throw new CommandFailure(cannot + above + " is a file, not a folder" + chooseAnother);
                }
                break;
            }
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new CommandFailure(cannot + Failures.describe(e) + chooseAnother, e);
        }
        if (!Files.isWritable(folder)) {
            throw new CommandFailure(cannot + "permission denied" + chooseAnother);
        }
    }
}
