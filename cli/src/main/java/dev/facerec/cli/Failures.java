package dev.facerec.cli;

import dev.facerec.recognition.gallery.GalleryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** A failure in a user's words: one line, for stderr or for an input's {@code Error:} answer. */
final class Failures {
    private Failures() {
    }

    /**
     * Failures this program foresees (files, folders, galleries), whose message says what went wrong; any other is a
     * bug or the machine's trouble, and its kind is named with its message.
     */
    static boolean foreseen(Throwable failure) {
        return failure instanceof IOException || failure instanceof UncheckedIOException
                || failure instanceof CommandFailure || failure instanceof GalleryException;
    }

    static String describe(Throwable failure) {
        if (failure instanceof UncheckedIOException unchecked) {
            return describe(unchecked.getCause());
        }
        // These two carry the path alone.
        if (failure instanceof NoSuchFileException e) {
            return "no such file or folder: " + e.getFile();
        }
        if (failure instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        String message = failure.getMessage();
        if (foreseen(failure) && message != null) {
            return message;
        }
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
