package dev.facerec.common.aws;

import dev.facerec.common.io.RandomAccessSource;
import dev.facerec.common.io.SourceReadException;
import dev.facerec.common.io.SourceReadException.Kind;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 object read through ranged GETs, a block at a time, with a few recent blocks kept: a decoder that jumps to a
 * trailing index and back costs a handful of requests, and a long video is never read whole nor stored anywhere.
 */
public final class S3ObjectSource implements RandomAccessSource {
    public static final int DEFAULT_BLOCK_SIZE = 256 * 1024;
    private static final int CACHED_BLOCKS = 16;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final int blockSize;
    private final Map<Long, byte[]> blocks = new LinkedHashMap<>(CACHED_BLOCKS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };
    private long size = -1;
    private String eTag;
    private long fetched;
    private int requests;

    public S3ObjectSource(S3Client s3, String bucket, String key, int blockSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.blockSize = blockSize;
    }

    public S3ObjectSource(S3Client s3, String bucket, String key) {
        this(s3, bucket, key, DEFAULT_BLOCK_SIZE);
    }

    @Override
    public long size() throws SourceReadException {
        if (size < 0) {
            block(0);
        }
        return size;
    }

    /** The ETag of the object version read (known after the first read). */
    public String eTag() {
        return eTag;
    }

    public int requests() {
        return requests;
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws SourceReadException {
        if (position >= size() || length == 0) {
            return position >= size ? -1 : 0;
        }
        long index = position / blockSize;
        byte[] block = block(index);
        int within = (int) (position - index * blockSize);
        int n = Math.min(length, block.length - within);
        System.arraycopy(block, within, buffer, offset, n);
        return n;
    }

    private byte[] block(long index) throws SourceReadException {
        byte[] cached = blocks.get(index);
        if (cached != null) {
            return cached;
        }
        long start = index * blockSize;
        long end = start + blockSize - 1;
        if (size >= 0 && start >= size) {
            return new byte[0];
        }
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key)
                .range("bytes=" + start + "-" + end);
        // Every block must come from the same object version, or the decoder would splice two videos together.
        if (eTag != null) {
            request.ifMatch(eTag);
        }
        ResponseBytes<GetObjectResponse> response;
        try {
            requests++;
            response = s3.getObjectAsBytes(request.build());
        } catch (S3Exception e) {
            if (e.statusCode() == 416 && start == 0) { // an empty object has no byte 0
                size = 0;
                return new byte[0];
            }
            throw failure(e);
        } catch (SdkException e) {
            throw failure(e);
        }
        byte[] bytes = response.asByteArrayUnsafe();
        fetched += bytes.length;
        if (size < 0) {
            size = totalSize(response.response(), bytes.length);
            eTag = response.response().eTag();
        }
        blocks.put(index, bytes);
        return bytes;
    }

    private static long totalSize(GetObjectResponse response, int received) {
        String range = response.contentRange(); // "bytes 0-262143/1234567"
        if (range != null && range.lastIndexOf('/') > 0) {
            String total = range.substring(range.lastIndexOf('/') + 1);
            if (!"*".equals(total)) {
                return Long.parseLong(total);
            }
        }
        return received; // a server that ignored the range sent the whole object
    }

    private SourceReadException failure(SdkException e) {
        String what = "s3://" + bucket + "/" + key;
        if (e instanceof S3Exception s3e && s3e.statusCode() == 404) {
            return new SourceReadException("object not found: " + what, Kind.PERMANENT, e);
        }
        if (e instanceof S3Exception s3e && s3e.statusCode() == 412) {
            return new SourceReadException("object replaced while being read: " + what, Kind.CHANGED, e);
        }
        return new SourceReadException("cannot read " + what + ": " + AwsFailures.describe(e),
                AwsFailures.isTransient(e) ? Kind.TRANSIENT : Kind.PERMANENT, e);
    }

    @Override
    public long bytesFetched() {
        return fetched;
    }

    @Override
    public String description() {
        return "s3://" + bucket + "/" + key;
    }
}
