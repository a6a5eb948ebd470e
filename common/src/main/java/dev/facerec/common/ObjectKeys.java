package dev.facerec.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Key naming across the pipeline: every key derived from a video's key (its frame {@code <stem>.jpg} in the stage-1
 * bucket, and its later frames {@code <stem>.frames/<seconds>.jpeg} when it gives several; its outcome
 * {@code <stem>.txt} and its record {@code <stem>.json} in the output bucket) comes from that key
 * alone, and distinct keys always get distinct stems, so that no two videos ever share a frame or an outcome, and no
 * rule depends on what else is in a bucket (which would race with concurrent uploads). The prefix is kept and any
 * UTF-8 key works.
 * <ul>
 * <li>{@code <name>.mp4} gives the course's {@code <name>}: {@code dir/My clip.mp4} → {@code dir/My clip.txt};</li>
 * <li>any other key with an extension keeps it whole: {@code dup.mov} → {@code dup.mov.txt} (beside {@code dup.mp4}'s
 *     {@code dup.txt}), {@code dup.MP4} → {@code dup.MP4.txt}, {@code notes.txt} → {@code notes.txt.txt} (so that
 *     what it leaves never replaces the outcome of a video {@code notes.mp4}); so does an {@code .mp4} whose name
 *     has an extension of its own: {@code clip.mov.mp4} → {@code clip.mov.mp4.txt}, as {@code clip.mov} takes
 *     {@code clip.mov.txt};</li>
 * <li>a key that cannot be named plainly gets a readable, cleaned stem followed by {@code ~} and 16 hex digits of the
 *     SHA-256 of the whole key: one without an extension (its plain stem would be that of {@code <key>.mp4}); one with
 *     a {@code .} or {@code ..} path segment (a consumer that copies the output bucket to disk would write outside its
 *     folder); control characters such as newlines; a length that leaves no room for {@code .json} under S3's
 *     1024-byte limit; or a plain stem that already ends like a hashed one.</li>
 * </ul>
 * The original key is always in the record ({@code source_key}).
 */
public final class ObjectKeys {
    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    private static final String LONGEST_SUFFIX = ".json";
    private static final int HASH_HEX_DIGITS = 16;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** How a hashed stem ends: a plain stem never does, so that the two kinds cannot meet. */
    private static final Pattern HASHED_ENDING = Pattern.compile("~[0-9a-f]{" + HASH_HEX_DIGITS + "}$");
    private static final String SAMPLED_FRAMES = ".frames/";
    private static final Pattern SAMPLED_NAME = Pattern.compile("\\d{6}\\.\\d{3}\\.jpeg");
    private static final int SAMPLED_NAME_LENGTH = "000000.000.jpeg".length();
    /** The course's videos: the one extension a stem drops. */
    private static final String COURSE_EXTENSION = ".mp4";

    private ObjectKeys() {
    }

    /** What the derived keys share: {@code dir/My clip.mp4} gives {@code dir/My clip}, {@code a.mov} gives itself. */
    public static String stem(String key) {
        String plain = plainStem(key);
        return plain != null && isSafe(plain) ? plain : cleaned(plain != null ? plain : key) + "~" + hash(key);
    }

    public static String frameKey(String videoKey) {
        return stem(videoKey) + ".jpg";
    }

    /**
     * The stage-1 key of a frame after the first when a video gives several ({@code FRAMES=keyframes}): {@code
     * <stem>.frames/<seconds>.jpeg}, seconds with ten characters and three decimals ({@code 000012.345}), so that a
     * listing sorts by time. The first frame stays {@link #frameKey}. {@code .jpeg}, which no {@link #frameKey}
     * ends with, keeps these keys apart from every video's first frame; the fixed form of the last segment keeps
     * those of two videos apart.
     */
    public static String sampledFrameKey(String videoKey, double seconds) {
        return sampledFramesPrefix(videoKey) + String.format(Locale.ROOT, "%010.3f", seconds) + ".jpeg";
    }

    /** {@code <stem>.frames/}; a stem too long for S3 with the frame's name after it is hashed as an unsafe one is. */
    private static String sampledFramesPrefix(String videoKey) {
        String stem = stem(videoKey);
        if (utf8Length(stem + SAMPLED_FRAMES) + SAMPLED_NAME_LENGTH <= MAX_KEY_BYTES) {
            return stem + SAMPLED_FRAMES;
        }
        int room = MAX_KEY_BYTES - SAMPLED_FRAMES.length() - SAMPLED_NAME_LENGTH - 1 - HASH_HEX_DIGITS;
        return truncate(cleaned(stem), room) + "~" + hash(videoKey) + SAMPLED_FRAMES;
    }

    /** Whether {@code frameKey} is the first frame of {@code videoKey}, or one {@link #sampledFrameKey} gives. */
    public static boolean isFrameOf(String videoKey, String frameKey) {
        if (frameKey(videoKey).equals(frameKey)) {
            return true;
        }
        String prefix = sampledFramesPrefix(videoKey);
        return frameKey.startsWith(prefix) && SAMPLED_NAME.matcher(frameKey.substring(prefix.length())).matches();
    }

    public static String outcomeKey(String sourceKey) {
        return stem(sourceKey) + ".txt";
    }

    public static String recordKey(String sourceKey) {
        return stem(sourceKey) + LONGEST_SUFFIX;
    }

    /**
     * The stem before the safety checks, or null for a key without an extension. The two plain forms cannot meet:
     * a stripped {@code .mp4} leaves a stem without an extension, a kept key has one.
     */
    private static String plainStem(String key) {
        if (!hasExtension(key)) {
            return null;
        }
        if (key.endsWith(COURSE_EXTENSION)) {
            String name = key.substring(0, key.length() - COURSE_EXTENSION.length());
            if (!hasExtension(name)) {
                return name;
            }
        }
        return key;
    }

    /** Whether the last path segment has a dot that does not start it (".hidden" has none; "clip." has one). */
    private static boolean hasExtension(String key) {
        return key.lastIndexOf('.') > key.lastIndexOf('/') + 1;
    }

    /** Whether the key ends like the pipeline's own outcomes ({@code .txt}, {@code .json}). */
    public static boolean hasOutcomeSuffix(String key) {
        return key.endsWith(".txt") || key.endsWith(LONGEST_SUFFIX);
    }

    private static boolean isSafe(String stem) {
        if (CONTROL.matcher(stem).find() || utf8Length(stem + LONGEST_SUFFIX) > MAX_KEY_BYTES
                || HASHED_ENDING.matcher(stem).find()) {
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
