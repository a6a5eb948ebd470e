package dev.facerec.common.io;

import dev.facerec.common.Deadline;

/**
 * A source that stops serving bytes once a {@link Deadline} has passed. A decoder reads as it goes, so this bounds
 * the time spent on one video without a watchdog thread, and the failure says why it stopped.
 */
public final class TimeLimitedSource implements RandomAccessSource {
    private final RandomAccessSource source;
    private final Deadline deadline;

    public TimeLimitedSource(RandomAccessSource source, Deadline deadline) {
        this.source = source;
        this.deadline = deadline;
    }

    @Override
    public long size() throws SourceReadException {
        return source.size();
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws SourceReadException {
        if (deadline.hasPassed()) {
            throw new SourceReadException(deadline.explanation(), SourceReadException.Kind.PERMANENT, null);
        }
        return source.read(position, buffer, offset, length);
    }

    @Override
    public long bytesFetched() {
        return source.bytesFetched();
    }

    @Override
    public String description() {
        return source.description();
    }

    @Override
    public void close() {
        source.close();
    }
}
