package dev.facerec.cli;

import dev.facerec.common.Env;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsFailures;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryFiles;
import dev.facerec.recognition.lambda.GalleryLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A gallery file or S3 object, read and written back by the gallery commands. An S3 gallery is written with a
 * conditional write: {@code If-Match} on the ETag it was read at, or {@code If-None-Match: *} when it did not exist,
 * so that of two people editing it at once, the second is refused (and told to run again) rather than silently
 * undoing the first's change. A file is replaced by a rename, never seen half written; two edits of one file at once
 * are not guarded against.
 */
final class GalleryStore implements AutoCloseable {
    /** The gallery as read: its format and size, and its version (the ETag of an S3 object; null for a file). */
    record Stored(Gallery gallery, GalleryFiles.Format format, long bytes, String etag) {
    }

    private final GalleryLocation location;
    private final S3Client s3;

    private GalleryStore(GalleryLocation location, S3Client s3) {
        this.location = location;
        this.s3 = s3;
    }

    /** {@code uri}: a file or {@code s3://bucket/key}; S3 as {@code env} says (AWS_REGION, AWS_ENDPOINT_URL_S3...). */
    static GalleryStore open(String uri, String what, Env env) {
        GalleryLocation location = GalleryLocation.parse(uri, what);
        return new GalleryStore(location, location.isS3() ? AwsClients.s3(AwsSettings.from(env)) : null);
    }

    GalleryLocation location() {
        return location;
    }

    /** The gallery, or empty when there is none there yet. */
    Optional<Stored> read() throws IOException {
        if (!location.isS3()) {
            try {
                long bytes = Files.size(location.file());
                try (var in = Files.newInputStream(location.file())) {
                    GalleryFiles.Loaded loaded = GalleryFiles.load(in, location.toString());
                    return Optional.of(new Stored(loaded.gallery(), loaded.format(), bytes, null));
                }
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(b -> b.bucket(location.bucket())
                .key(location.key()))) {
            GalleryFiles.Loaded loaded = GalleryFiles.load(object, location.toString());
            return Optional.of(new Stored(loaded.gallery(), loaded.format(), object.response().contentLength(),
                    object.response().eTag()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new CommandFailure(location + " cannot be read: " + AwsFailures.describe(e), e);
        }
    }

    /** The gallery, or a failure saying there is none. */
    Stored readExisting() throws IOException {
        return read().orElseThrow(() -> new CommandFailure("no gallery at " + location));
    }

    /**
     * Writes {@code gallery} in the format the location's name says; to S3 only if the object is still the one read
     * ({@code read}: null for one that did not exist). Returns the format written.
     */
    GalleryFiles.Format write(Gallery gallery, Stored read) throws IOException {
        String name = location.isS3() ? location.key() : location.file().getFileName().toString();
        GalleryFiles.Format format = GalleryFiles.Format.forName(name);
        if (!location.isS3()) {
            return GalleryFiles.write(gallery, location.file());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GalleryFiles.write(gallery, format, bytes);
        try {
            s3.putObject(b -> {
                b.bucket(location.bucket()).key(location.key())
                        .contentType(format == GalleryFiles.Format.JSON ? "application/json" : "application/octet-stream");
                if (read == null) {
                    b.ifNoneMatch("*");
                } else {
                    b.ifMatch(read.etag());
                }
            }, RequestBody.fromBytes(bytes.toByteArray()));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new CommandFailure(location + " changed since it was read (another edit came first): "
                        + "nothing was written; run the command again", e);
            }
            throw new CommandFailure(location + " cannot be written: " + AwsFailures.describe(e), e);
        }
        return format;
    }

    /** {@link #write}, then what the gallery now holds: {@code N people, M descriptors (format F)}. */
    String writeBack(Gallery gallery, Stored read) throws IOException {
        GalleryFiles.Format format = write(gallery, read);
        return gallery.personCount() + " people, " + gallery.descriptorCount() + " descriptors (format "
                + format.version() + ")";
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
