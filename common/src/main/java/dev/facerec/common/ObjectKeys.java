package dev.facerec.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Key naming across the pipeline: video {@code dir/My clip.mp4} gives frame {@code dir/My clip.jpg} in the stage-1
 * bucket and {@code dir/My clip.txt} (the outcome) and {@code dir/My clip.json} (the record) in the output bucket.
 * The prefix is kept and any UTF-8 key works; only the last extension of the last path segment is replaced.
 *
 * <p>Two kinds of key are named differently, each in one deterministic way:
 * <ul>
 * <li>a key ending in an outcome suffix ({@code notes.txt}, {@code a.json}) keeps it ({@code notes.txt.txt}), so
 *     that what it leaves can never replace the outcome of a video {@code notes.mp4};</li>
 * <li>a key that is unsafe to pass on — a {@code .} or {@code ..} path segment (a consumer that copies the output
 *     bucket to disk would write outside its folder), control characters such as newlines, or a length that leaves
 *     no room for {@code .json} under S3's 1024-byte limit — gets a readable, cleaned stem followed by {@code ~} and
 *     16 hex digits of the SHA-256 of the whole key, so distinct keys stay distinct.</li>
 * </ul>
 * The original key is always in the record ({@code source_key}).
 */
public final class ObjectKeys {
    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    private static final String LONGEST_SUFFIX = ".json";
    private static final int HASH_HEX_DIGITS = 16;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private ObjectKeys() {
    }

    /** The key without its extension: {@code dir/My clip.mp4} gives {@code dir/My clip}; unsafe keys are cleaned. */
    public static String stem(String key) {
        String stem = withoutExtension(key);
        return isSafe(stem) ? stem : cleaned(stem) + "~" + hash(key);
    }

    public static String frameKey(String videoKey) {
        return stem(videoKey) + ".jpg";
    }

    public static String outcomeKey(String sourceKey) {
        return stem(sourceKey) + ".txt";
    }

    public static String recordKey(String sourceKey) {
        return stem(sourceKey) + LONGEST_SUFFIX;
    }

    private static String withoutExtension(String key) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        // A dot that starts the file name (".hidden") or sits in a folder name is not an extension.
        if (dot <= slash + 1) {
            return key;
        }
        return hasOutcomeSuffix(key) ? key : key.substring(0, dot);
    }

    /** Whether the key ends like the pipeline's own outcomes ({@code .txt}, {@code .json}). */
    public static boolean hasOutcomeSuffix(String key) {
        return key.endsWith(".txt") || key.endsWith(LONGEST_SUFFIX);
    }

    private static boolean isSafe(String stem) {
        if (CONTROL.matcher(stem).find() || utf8Length(stem + LONGEST_SUFFIX) > MAX_KEY_BYTES) {
            return false;
        }
        for (String segment : stem.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String cleaned(String stem) {
        StringBuilder cleaned = new StringBuilder();
        String[] segments = CONTROL.matcher(stem).replaceAll("_").split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean relative = segment.equals(".") || segment.equals("..");
            cleaned.append(i == 0 ? "" : "/").append(relative ? segment.replace('.', '_') : segment);
        }
        int room = MAX_KEY_BYTES - LONGEST_SUFFIX.length() - 1 - HASH_HEX_DIGITS;
        return truncate(cleaned.toString(), room);
    }

    /** The longest prefix of {@code text} of at most {@code maxBytes} UTF-8 bytes, never splitting a character. */
    private static String truncate(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = utf8Length(new String(Character.toChars(codePoint)));
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
