package dev.facerec.recognition.lambda;

import dev.facerec.common.ConfigException;
import java.nio.file.Path;

/** Where the gallery file lives: an S3 object ({@code s3://bucket/key}) or a local file. */
public record GalleryLocation(String bucket, String key, Path file) {

    public static GalleryLocation parse(String uri, String variable) {
        if (uri.startsWith("s3://")) {
            String rest = uri.substring("s3://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new ConfigException(variable, "must be s3://bucket/key or a file path, got '" + uri + "'");
            }
            return new GalleryLocation(rest.substring(0, slash), rest.substring(slash + 1), null);
        }
        if (uri.contains("://")) {
            throw new ConfigException(variable, "must be s3://bucket/key or a file path, got '" + uri + "'");
        }
        return new GalleryLocation(null, null, Path.of(uri));
    }

    public boolean isS3() {
        return bucket != null;
    }

    @Override
    public String toString() {
        return isS3() ? "s3://" + bucket + "/" + key : file.toString();
    }
}
