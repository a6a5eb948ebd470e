package dev.facerec.recognition.lambda;

import dev.facerec.common.aws.AwsFailures;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryException;
import dev.facerec.recognition.gallery.GalleryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The gallery, loaded once per container and reloaded when it changes (S3 ETag or file modification time), checked
 * at most once per refresh interval, so enrolling new people needs no redeploy. A gallery that is missing, corrupt or
 * made by another model is not fatal to the container: every recognition then ends as an Error outcome saying why
 * (never a name from a gallery that was replaced), and the next check tries again. A transient S3 failure keeps the
 * gallery already loaded, or, with none loaded, is thrown for Lambda to retry.
 */
public final class GalleryCache {
    private static final Logger LOG = LoggerFactory.getLogger(GalleryCache.class);

    private final GalleryLocation location;
    private final S3Client s3;
    private final Duration refresh;
    private final Clock clock;
    private Gallery gallery;
    private String version;
    private GalleryException failure;
    private Instant checkedAt = Instant.MIN;

    public GalleryCache(GalleryLocation location, S3Client s3, Duration refresh, Clock clock) {
        this.location = location;
        this.s3 = s3;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** The current gallery; throws {@link GalleryException} (with the reason) when none can be had. */
    public synchronized Gallery current() {
        Instant now = clock.instant();
        if (gallery == null || now.isAfter(checkedAt.plus(refresh))) {
            checkedAt = now;
            try {
                reloadIfChanged();
                failure = null;
            } catch (GalleryException e) {
                failure = e;
                LOG.error("gallery {} unusable: {}", location, e.getMessage());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return gallery;
    }

    private void reloadIfChanged() {
        if (location.isS3()) {
            reloadFromS3();
        } else {
            reloadFromFile();
        }
    }

    private void reloadFromS3() {
        ResponseBytes<GetObjectResponse> object;
        try {
            // A conditional GET: 304 (nothing sent) while the ETag is unchanged.
            object = s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.key()).ifNoneMatch(version));
        } catch (SdkException e) {
            int status = e instanceof S3Exception s3e ? s3e.statusCode() : 0;
            if (status == 304) {
                return;
            }
            if (AwsFailures.isTransient(e)) {
                if (gallery != null) {
                    LOG.warn("gallery {} not checked ({}): keeping the one loaded", location,
                            AwsFailures.describe(e));
                    return;
                }
                throw e;
            }
            throw new GalleryException(status == 404 ? "gallery " + location + " not found"
                    : "gallery " + location + " cannot be read: " + AwsFailures.describe(e), e);
        }
        install(GalleryJson.read(object.asByteArrayUnsafe(), location.toString()), object.response().eTag());
    }

    private void reloadFromFile() {
        try {
            FileTime modified = Files.getLastModifiedTime(location.file());
            String fileVersion = modified.toMillis() + ":" + Files.size(location.file());
            if (fileVersion.equals(version)) {
                return;
            }
            install(GalleryJson.read(Files.readAllBytes(location.file()), location.toString()), fileVersion);
        } catch (IOException e) {
            throw new GalleryException("gallery " + location + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void install(Gallery loaded, String newVersion) {
        gallery = loaded;
        version = newVersion;
        LOG.info("gallery {} loaded: {} people, {} descriptors (version {})", location, loaded.people().size(),
                loaded.descriptorCount(), newVersion);
    }
}
