package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Descriptor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Gallery format 2: binary, for large galleries. A million descriptors are a 530 MB file read in about a second,
 * where format 1 is 2.8 GB of JSON. Big-endian ({@link DataOutputStream}'s order), in this order:
 *
 * <ol>
 *   <li>{@link #MAGIC} (16 bytes), then the format version (int, 2);</li>
 *   <li>the model (UTF-8, its byte length first as an int), the descriptor size, the number of people, of
 *       descriptors, and flags (bit 0: each descriptor's source photo is written);</li>
 *   <li>each person: the name (as the model), the number of their descriptors;</li>
 *   <li>with sources: each descriptor's, in the gallery's order (as the model; length -1 for unknown);</li>
 *   <li>every descriptor's values, floats, person after person, as {@link Gallery} holds them.</li>
 * </ol>
 *
 * Everything is checked as format 1 checks it: the model, the people's names, finite values; a file cut short is
 * refused, and so is anything after its last value.
 */
public final class GalleryBinary {
    public static final int FORMAT_VERSION = 2;
    /** The file's first 16 bytes: readable by {@code head -c 16}, and never the start of a JSON file. */
    static final byte[] MAGIC = "facerec-gallery\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SOURCES = 1;
    private static final int MAX_TEXT_BYTES = 1 << 16;
    private static final int CHUNK_FLOATS = 1 << 16;

    private GalleryBinary() {
    }

    /** Writes {@code gallery} to {@code out} (flushed, left open). */
    public static void write(Gallery gallery, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        text(data, gallery.model());
        data.writeInt(gallery.descriptorSize());
        data.writeInt(gallery.personCount());
        data.writeInt(gallery.descriptorCount());
        data.writeInt(gallery.hasSources() ? SOURCES : 0);
        for (int p = 0; p < gallery.personCount(); p++) {
            text(data, gallery.name(p));
            data.writeInt(gallery.start(p + 1) - gallery.start(p));
        }
        if (gallery.hasSources()) {
            for (int d = 0; d < gallery.descriptorCount(); d++) {
                text(data, gallery.source(d));
            }
        }
        float[] values = gallery.values();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES);
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
            int count = Math.min(CHUNK_FLOATS, values.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(values, from, count);
            data.write(chunk.array(), 0, count * Float.BYTES);
        }
        data.flush();
    }

    /** True when {@code head} (a file's first bytes, at least 16) starts a format-2 gallery. */
    static boolean startsWithMagic(byte[] head, int length) {
        return length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Reads a format-2 gallery from {@code in} (left open), its magic included; {@code where} names it in messages.
     */
    public static Gallery read(InputStream in, String where) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        try {
            byte[] magic = data.readNBytes(MAGIC.length);
            if (!startsWithMagic(magic, magic.length)) {
                throw new GalleryException("gallery " + where + " is not a format-2 gallery file");
            }
            int version = data.readInt();
            if (version != FORMAT_VERSION) {
                throw new GalleryException("gallery " + where + " has format version " + version + "; this version reads "
                        + GalleryJson.FORMAT_VERSION + " (JSON) and " + FORMAT_VERSION + " (binary): "
                        + GalleryJson.REENROL);
            }
            String model = text(data, where);
            int descriptorSize = data.readInt();
            GalleryJson.checkModel(model, descriptorSize, where);
            int people = data.readInt();
            int descriptors = data.readInt();
            int flags = data.readInt();
            if (people <= 0 || descriptors < people || descriptors > Gallery.MAX_DESCRIPTORS) {
                throw new GalleryException(people == 0 ? "gallery " + where + " has no people"
                        : "gallery " + where + " is malformed: " + people + " people, " + descriptors + " descriptors");
            }
            String[] names = new String[people];
            int[] starts = new int[people + 1];
            for (int p = 0; p < people; p++) {
                names[p] = text(data, where);
                int count = data.readInt();
                if (count <= 0 || (long) starts[p] + count > descriptors) {
                    throw new GalleryException("gallery " + where + " is malformed: person " + (p + 1) + " has "
                            + count + " descriptors");
                }
                starts[p + 1] = starts[p] + count;
                try {
                    Person.checkName(names[p]);
                } catch (IllegalArgumentException e) {
                    throw new GalleryException("gallery " + where + " holds a malformed person: " + e.getMessage(), e);
                }
            }
            if (starts[people] != descriptors) {
                throw new GalleryException("gallery " + where + " is malformed: its people hold " + starts[people]
                        + " descriptors, not " + descriptors);
            }
            String[] sources = null;
            if ((flags & SOURCES) != 0) {
                sources = new String[descriptors];
                for (int d = 0; d < descriptors; d++) {
                    sources[d] = text(data, where);
                }
            }
            float[] values = new float[descriptors * Descriptor.LENGTH];
            byte[] chunk = new byte[CHUNK_FLOATS * Float.BYTES];
            for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
                int count = Math.min(CHUNK_FLOATS, values.length - from);
                data.readFully(chunk, 0, count * Float.BYTES);
                ByteBuffer.wrap(chunk, 0, count * Float.BYTES).asFloatBuffer().get(values, from, count);
            }
            if (data.read() != -1) {
                throw new GalleryException("gallery " + where + " is malformed: bytes after its last descriptor");
            }
            int bad = Descriptor.firstNonFinite(values, 0, values.length);
            if (bad >= 0) {
                throw new GalleryException("gallery " + where + " holds a malformed person: "
                        + names[person(starts, bad / Descriptor.LENGTH)] + "'s descriptor value "
                        + bad % Descriptor.LENGTH + " is " + values[bad]);
            }
            return Gallery.ofArrays(model, descriptorSize, names, starts, values, sources);
        } catch (EOFException e) {
            throw new GalleryException("gallery " + where + " is cut short (a format-2 file ends after its last "
                    + "descriptor's values)", e);
        }
    }

    private static int person(int[] starts, int descriptor) {
        int found = Arrays.binarySearch(starts, descriptor);
        return found >= 0 ? found : -found - 2;
    }

    private static void text(DataOutputStream data, String text) throws IOException {
        if (text == null) {
            data.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        data.writeInt(bytes.length);
        data.write(bytes);
    }

    private static String text(DataInputStream data, String where) throws IOException {
        int length = data.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_TEXT_BYTES) {
            throw new GalleryException("gallery " + where + " is malformed: a text of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        data.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
