package dev.facerec.common.testing;

import dev.facerec.common.io.RandomAccessSource;

/** Bytes in memory as a {@link RandomAccessSource}: a fuzzer's input, read as an uploaded object would be. */
public final class BytesSource implements RandomAccessSource {
    private final byte[] bytes;
    private long fetched;

    public BytesSource(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) {
        if (position < 0 || position >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(length, bytes.length - position);
        System.arraycopy(bytes, (int) position, buffer, offset, n);
        fetched += n;
        return n;
    }

    @Override
    public long bytesFetched() {
        return fetched;
    }

    @Override
    public String description() {
        return bytes.length + " bytes in memory";
    }
}
