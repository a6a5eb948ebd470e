package dev.facerec.recognition.gallery;

/** A gallery that cannot be used: unreadable, of another format version, or made by another model. */
public final class GalleryException extends RuntimeException {
    public GalleryException(String message) {
        super(message);
    }

    public GalleryException(String message, Throwable cause) {
        super(message, cause);
    }
}
