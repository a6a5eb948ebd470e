package dev.facerec.recognition.lambda;

import dev.facerec.common.aws.AwsFailures;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryException;
import dev.facerec.recognition.gallery.GalleryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The gallery, loaded once per container and reloaded when it changes (S3 ETag or file modification time), checked
 * at most once per refresh interval, so enrolling new people needs no redeploy. A gallery that is missing, corrupt or
 * made by another model is not fatal to the container: every recognition then ends as an Error outcome saying why
 * (never a name from a gallery that was replaced), and the next check tries again; only a successful load, or S3
 * answering that the loaded version is current again, clears that failure. A transient S3 failure keeps what was
 * known (the gallery loaded, or the failure), or, with nothing known yet, is thrown for Lambda to retry.
 *
 * <p>Readers never wait for a reload: one caller checks while the others go on with the state already known. Only
 * before the first load, with nothing to serve, do callers wait for it.
 */
public final class GalleryCache {
    private static final Logger LOG = LoggerFactory.getLogger(GalleryCache.class);

    /** What is known of the gallery: the one loaded and its version, why it may not be used, when it was checked. */
    private record State(Gallery gallery, String version, GalleryException failure, Instant checkedAt) {
        static final State NOTHING_YET = new State(null, null, null, Instant.MIN);

        boolean due(Instant now, Duration refresh) {
            return gallery == null || now.isAfter(checkedAt.plus(refresh));
        }

        State checked(Instant now) {
            return new State(gallery, version, failure, now);
        }

        State refused(GalleryException why, Instant now) {
            return new State(gallery, version, why, now);
        }

        State current(Instant now) {
            return new State(gallery, version, null, now);
        }
    }

    private final GalleryLocation location;
    private final S3Client s3;
    private final Duration refresh;
    private final Clock clock;
    private final AtomicBoolean checking = new AtomicBoolean();
    private final Object firstLoad = new Object();
    private volatile State state = State.NOTHING_YET;

    public GalleryCache(GalleryLocation location, S3Client s3, Duration refresh, Clock clock) {
        this.location = location;
        this.s3 = s3;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** The current gallery; throws {@link GalleryException} (with the reason) when none can be had. */
    public Gallery current() {
        State known = state;
        if (known.due(clock.instant(), refresh)) {
            if (known.gallery() == null) {
                synchronized (firstLoad) {
                    if (state.due(clock.instant(), refresh)) {
                        state = check(state);
                    }
                }
            } else if (checking.compareAndSet(false, true)) {
                try {
                    state = check(known);
                } finally {
                    checking.set(false);
                }
            }
        }
        State now = state;
        if (now.failure() != null) {
            throw now.failure();
        }
        return now.gallery();
    }

    private State check(State known) {
        Instant now = clock.instant();
        try {
            return location.isS3() ? checkS3(known, now) : checkFile(known, now);
        } catch (GalleryException e) {
            LOG.error("gallery {} unusable: {}", location, e.getMessage());
            return known.refused(e, now);
        }
    }

    private State checkS3(State known, Instant now) {
        // A conditional GET: 304 (nothing sent) while the ETag is the one loaded.
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(b -> b.bucket(location.bucket())
                .key(location.key()).ifNoneMatch(known.version()))) {
            // Read as it arrives, either format, into the gallery's arrays: never a copy of the whole object.
            Gallery loaded;
            try {
                loaded = GalleryFiles.read(object, location.toString());
            } catch (GalleryException e) {
                object.abort(); // maybe not read to the end: the connection is dropped rather than drained
                throw e;
            }
            return install(loaded, object.response().eTag(), now);
        } catch (SdkException e) {
            int status = e instanceof S3Exception s3e ? s3e.statusCode() : 0;
            if (status == 304) {
                return known.current(now);
            }
            if (AwsFailures.isTransient(e)) {
                return keepKnown(known, now, AwsFailures.describe(e), e);
            }
            throw new GalleryException(status == 404 ? "gallery " + location + " not found"
                    : "gallery " + location + " cannot be read: " + AwsFailures.describe(e), e);
        } catch (IOException e) {
            // The body broke off: transient, as any dropped connection.
            return keepKnown(known, now, "the download broke off: " + e.getMessage(),
                    SdkClientException.create("gallery " + location + " broke off while read: " + e.getMessage(), e));
        }
    }

    /** A check that failed for now: what was known stands; with nothing known, Lambda is left to retry. */
    private State keepKnown(State known, Instant now, String why, RuntimeException failure) {
        if (known.gallery() == null && known.failure() == null) {
            throw failure;
        }
        LOG.warn("gallery {} not checked ({}): keeping what was known", location, why);
        return known.checked(now);
    }

    private State checkFile(State known, Instant now) {
        try {
            FileTime modified = Files.getLastModifiedTime(location.file());
            String fileVersion = modified.toMillis() + ":" + Files.size(location.file());
            if (fileVersion.equals(known.version())) {
                return known.current(now);
            }
            return install(GalleryFiles.read(location.file()), fileVersion, now);
        } catch (IOException e) {
            throw new GalleryException("gallery " + location + " cannot be read: " + e.getMessage(), e);
        }
    }

    private State install(Gallery loaded, String version, Instant now) {
        LOG.info("gallery {} loaded: {} people, {} descriptors (version {})", location, loaded.personCount(),
                loaded.descriptorCount(), version);
        return new State(loaded, version, null, now);
    }
}
