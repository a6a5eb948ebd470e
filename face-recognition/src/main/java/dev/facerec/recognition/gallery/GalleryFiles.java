package dev.facerec.recognition.gallery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Gallery files of either format: which one a file holds is told by its first bytes (format 2's magic, or JSON),
 * which one is written by the file's name ({@code .json}: format 1, which people can read; anything else: format 2,
 * compact and quick to load).
 */
public final class GalleryFiles {
    /** The two formats. */
    public enum Format {
        JSON(GalleryJson.FORMAT_VERSION), BINARY(GalleryBinary.FORMAT_VERSION);

        private final int version;

        Format(int version) {
            this.version = version;
        }

        public int version() {
            return version;
        }

        /** The format a file of this name is written in. */
        public static Format forName(String fileName) {
            return fileName.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : BINARY;
        }
    }

    private GalleryFiles() {
    }

    /** A gallery read, and the format it was in. */
    public record Loaded(Gallery gallery, Format format) {
    }

    /** Reads a gallery of either format from {@code in} (left open); {@code where} names it in messages. */
    public static Gallery read(InputStream in, String where) throws IOException {
        return load(in, where).gallery();
    }

    /** As {@link #read(InputStream, String)}, telling the format too. */
    public static Loaded load(InputStream in, String where) throws IOException {
        PushbackInputStream stream = new PushbackInputStream(in, GalleryBinary.MAGIC.length);
        byte[] head = stream.readNBytes(GalleryBinary.MAGIC.length);
        stream.unread(head);
        return GalleryBinary.startsWithMagic(head, head.length)
                ? new Loaded(GalleryBinary.read(stream, where), Format.BINARY)
                : new Loaded(GalleryJson.read(stream, where), Format.JSON);
    }

    public static Gallery read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    public static void write(Gallery gallery, Format format, OutputStream out) throws IOException {
        if (format == Format.JSON) {
            GalleryJson.write(gallery, out);
        } else {
            GalleryBinary.write(gallery, out);
        }
    }

    /**
     * Writes {@code gallery} to {@code file} in the format its name says, through a temporary file beside it: a
     * reader (a recogniser watching the file) never sees half a gallery. Returns the format written.
     */
    public static Format write(Gallery gallery, Path file) throws IOException {
        Format format = Format.forName(file.getFileName().toString());
        Path folder = file.toAbsolutePath().getParent();
        // Beside it, so that the move is a rename; created as any new file (the user's umask), not private.
        Path partial = folder.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                write(gallery, format, out);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return format;
    }
}
