package dev.facerec.common.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Bytes of a stored object read at any position, so that a decoder can read the few parts of a video it needs (the
 * header, the index, the first keyframe) instead of the whole file. Implementations count what they fetch.
 */
public interface RandomAccessSource extends Closeable {

    /** Total size in bytes. */
    long size() throws SourceReadException;

    /** Reads up to {@code length} bytes at {@code position}; returns the count read, or -1 at or past the end. */
    int read(long position, byte[] buffer, int offset, int length) throws SourceReadException;

    /** Bytes fetched from the underlying store so far (what a benchmark or a cost estimate wants to know). */
    long bytesFetched();

    /** A short description for messages and logs; never holds credentials or presigned URLs. */
    String description();

    @Override
    default void close() {
    }
}
