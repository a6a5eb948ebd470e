package dev.facerec.common;

/**
 * Key naming across the pipeline: video {@code dir/My clip.mp4} gives frame {@code dir/My clip.jpg} in the stage-1
 * bucket and {@code dir/My clip.txt} (the outcome) and {@code dir/My clip.json} (the record) in the output bucket.
 * The prefix is kept and any UTF-8 key works; only the last extension of the last path segment is replaced.
 */
public final class ObjectKeys {
    private ObjectKeys() {
    }

    /** The key without its extension: {@code dir/My clip.mp4} gives {@code dir/My clip}. */
    public static String stem(String key) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        // A dot that starts the file name (".hidden") or sits in a folder name is not an extension.
        return dot > slash + 1 ? key.substring(0, dot) : key;
    }

    public static String frameKey(String videoKey) {
        return stem(videoKey) + ".jpg";
    }

    public static String outcomeKey(String sourceKey) {
        return stem(sourceKey) + ".txt";
    }

    public static String recordKey(String sourceKey) {
        return stem(sourceKey) + ".json";
    }
}
