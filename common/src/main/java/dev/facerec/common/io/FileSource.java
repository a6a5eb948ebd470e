package dev.facerec.common.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import dev.facerec.common.io.SourceReadException.Kind;

/** A local file as a {@link RandomAccessSource}. */
public final class FileSource implements RandomAccessSource {
    private final Path path;
    private final FileChannel channel;
    private long fetched;

    private FileSource(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    public static FileSource open(Path path) throws SourceReadException {
        try {
            return new FileSource(path, FileChannel.open(path, StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            throw new SourceReadException("no such file: " + path, Kind.PERMANENT, e);
        } catch (IOException e) {
            throw new SourceReadException("cannot open " + path + ": " + e.getMessage(), Kind.PERMANENT, e);
        }
    }

    @Override
    public long size() throws SourceReadException {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new SourceReadException("cannot read " + path + ": " + e.getMessage(), Kind.PERMANENT, e);
        }
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws SourceReadException {
        try {
            int n = channel.read(ByteBuffer.wrap(buffer, offset, length), position);
            if (n > 0) {
                fetched += n;
            }
            return n;
        } catch (IOException e) {
            throw new SourceReadException("cannot read " + path + ": " + e.getMessage(), Kind.PERMANENT, e);
        }
    }

    @Override
    public long bytesFetched() {
        return fetched;
    }

    @Override
    public String description() {
        return path.toString();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only channel: nothing was written that a failed close could lose.
        }
    }
}
