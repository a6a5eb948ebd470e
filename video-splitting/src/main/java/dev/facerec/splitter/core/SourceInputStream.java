package dev.facerec.splitter.core;

import dev.facerec.common.io.RandomAccessSource;
import dev.facerec.common.io.SourceReadException;
import java.io.InputStream;

/**
 * A {@link RandomAccessSource} as the InputStream that JavaCV's grabber drives FFmpeg's I/O with. JavaCV seeks with
 * {@code reset()} then {@code skip(n)}, and learns the size by skipping to the end; here both only move a position,
 * so a seek costs nothing and no byte is fetched until FFmpeg reads it.
 *
 * <p>JavaCV swallows exceptions thrown from its I/O callbacks, so a failed read is kept here (see {@link #failure()})
 * and reported to FFmpeg as the end of the data.
 */
final class SourceInputStream extends InputStream {
    private final RandomAccessSource source;
    private long position;
    private long mark;
    private SourceReadException failure;

    SourceInputStream(RandomAccessSource source) {
        this.source = source;
    }

    /** The first read failure, if any: FFmpeg saw it as the end of the data. */
    SourceReadException failure() {
        return failure;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (failure != null) {
            return -1;
        }
        try {
            int n = source.read(position, buffer, offset, length);
            if (n > 0) {
                position += n;
            }
            return n;
        } catch (SourceReadException e) {
            failure = e;
            return -1;
        }
    }

    @Override
    public long skip(long n) {
        if (failure != null || n <= 0) {
            return 0;
        }
        try {
            long target = Math.min(source.size(), position + Math.min(n, Long.MAX_VALUE - position));
            long skipped = Math.max(0, target - position);
            position += skipped;
            return skipped;
        } catch (SourceReadException e) {
            failure = e;
            return 0;
        }
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int readLimit) {
        mark = position;
    }

    @Override
    public synchronized void reset() {
        position = mark;
    }

    /**
     * The "file name" JavaCV hands FFmpeg. When opening fails, JavaCV tries again by name alone, without this stream:
     * an empty name makes sure that second try cannot open any file or URL.
     */
    @Override
    public String toString() {
        return "";
    }
}
