package dev.facerec.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    @Test
    void keepsThePrefixAndReplacesTheMp4Extension() {
        assertThat(ObjectKeys.frameKey("dir/My clip.mp4")).isEqualTo("dir/My clip.jpg");
        assertThat(ObjectKeys.outcomeKey("dir/My clip.mp4")).isEqualTo("dir/My clip.txt");
        assertThat(ObjectKeys.recordKey("dir/My clip.mp4")).isEqualTo("dir/My clip.json");
    }

    @Test
    void dotsInFoldersAndLeadingDotsAreNotExtensions() {
        assertThat(ObjectKeys.stem("v1.2/clip.mp4")).isEqualTo("v1.2/clip");
        assertThat(ObjectKeys.stem("dir/.hidden.mp4")).isEqualTo("dir/.hidden");
        assertThat(ObjectKeys.stem("a.b.c.mov")).isEqualTo("a.b.c.mov");
        // Without an extension its plain stem would be that of noextension.mp4.
        assertThat(ObjectKeys.frameKey("noextension")).matches("noextension~[0-9a-f]{16}\\.jpg");
        assertThat(ObjectKeys.frameKey("dir/.hidden")).matches("dir/\\.hidden~[0-9a-f]{16}\\.jpg");
    }

    @Test
    void anyUtf8KeyKeepsItsCharacters() {
        assertThat(ObjectKeys.outcomeKey("vidéos/日本 (1)+x.mp4")).isEqualTo("vidéos/日本 (1)+x.txt");
        assertThat(ObjectKeys.outcomeKey("vidéos/日本 (1)+x.mkv")).isEqualTo("vidéos/日本 (1)+x.mkv.txt");
    }

    @Test
    void aKeyWithAnOutcomeSuffixKeepsItSoThatItCannotReplaceAVideosOutcome() {
        assertThat(ObjectKeys.outcomeKey("notes.txt")).isEqualTo("notes.txt.txt");
        assertThat(ObjectKeys.recordKey("dir/a.json")).isEqualTo("dir/a.json.json");
        assertThat(ObjectKeys.outcomeKey("notes.mp4")).isEqualTo("notes.txt");
    }

    @Test
    void relativeSegmentsAndControlCharactersAreCleanedAndDistinctKeysStayDistinct() {
        String parent = ObjectKeys.outcomeKey("../../etc/passwd.mp4");
        assertThat(parent).matches("__/__/etc/passwd~[0-9a-f]{16}\\.txt");
        assertThat(ObjectKeys.outcomeKey("a/./b.mp4")).matches("a/_/b~[0-9a-f]{16}\\.txt");
        String newline = ObjectKeys.outcomeKey("line one\nline two.mp4");
        assertThat(newline).matches("line one_line two~[0-9a-f]{16}\\.txt");
        assertThat(ObjectKeys.outcomeKey("line one\rline two.mp4")).isNotEqualTo(newline);
        assertThat(ObjectKeys.frameKey("line one\nline two.mp4")).isEqualTo(newline.replace(".txt", ".jpg"));
        assertThat(ObjectKeys.outcomeKey("..hidden/..x.mov")).as("dots inside names are fine")
                .isEqualTo("..hidden/..x.mov.txt");
    }

    @Test
    void anMp4KeepsTheCoursesNameAndAnyOtherVideoKeepsItsExtension() {
        assertThat(ObjectKeys.outcomeKey("dup.mp4")).isEqualTo("dup.txt");
        assertThat(ObjectKeys.outcomeKey("dup.mov")).isEqualTo("dup.mov.txt");
        assertThat(ObjectKeys.frameKey("dir/dup.mov")).isEqualTo("dir/dup.mov.jpg");
        assertThat(ObjectKeys.recordKey("dup.MP4")).isEqualTo("dup.MP4.json");
        assertThat(ObjectKeys.outcomeKey("clip.mov.mp4")).as("its stem has an extension: clip.mov's would be it")
                .isEqualTo("clip.mov.mp4.txt");
    }

    @Test
    void distinctKeysNeverShareADerivedKey() {
        // Every key of up to three of these parts: extensions, dots, case, and what a hashed key ends with.
        List<String> parts = List.of("dup", ".mp4", ".mov", ".MP4", ".txt", ".", "/", "~" + "0123456789abcdef",
                ObjectKeys.stem("dup").substring("dup".length()));
        Set<String> keys = new HashSet<>();
        for (String a : parts) {
            for (String b : parts) {
                for (String c : parts) {
                    keys.addAll(List.of(a, a + b, a + b + c));
                }
            }
        }
        for (Function<String, String> derived : List.<Function<String, String>>of(ObjectKeys::frameKey,
                ObjectKeys::outcomeKey, ObjectKeys::recordKey)) {
            Map<String, String> keyOf = new HashMap<>();
            for (String key : keys) {
                String previous = keyOf.put(derived.apply(key), key);
                assertThat(previous).as("%s and %s give %s", previous, key, derived.apply(key)).isNull();
            }
        }
    }

    @Test
    void aKeyTooLongForItsRecordIsShortenedToFitS3sLimit() {
        String longest = "é".repeat(508) + "ab.mp4"; // 1016 + 6 = 1022 bytes: its .json would be 1023, fits
        assertThat(ObjectKeys.recordKey(longest)).isEqualTo("é".repeat(508) + "ab.json");
        String tooLong = "é".repeat(509) + "xy.mp4"; // 1024 bytes, the most S3 takes: <stem>.json would be 1025
        String record = ObjectKeys.recordKey(tooLong);
        assertThat(record.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ObjectKeys.MAX_KEY_BYTES);
        assertThat(record).startsWith("éé").matches("é+~[0-9a-f]{16}\\.json"); // never half a character
        assertThat(ObjectKeys.recordKey("é".repeat(509) + "yx.mp4")).isNotEqualTo(record);
    }

    @Test
    void laterFramesSortByTimeBesideTheFirstAndBelongToTheirVideoAlone() {
        assertThat(ObjectKeys.sampledFrameKey("dir/My clip.mp4", 12.3456)).isEqualTo("dir/My clip.frames/000012.346.jpeg");
        assertThat(ObjectKeys.sampledFrameKey("dup.mov", 3600)).isEqualTo("dup.mov.frames/003600.000.jpeg");
        assertThat(ObjectKeys.isFrameOf("dir/My clip.mp4", "dir/My clip.jpg")).isTrue();
        assertThat(ObjectKeys.isFrameOf("dir/My clip.mp4", "dir/My clip.frames/000012.346.jpeg")).isTrue();
        assertThat(ObjectKeys.isFrameOf("dir/My clip.mp4", "dir/My clip.frames/../x.jpeg")).isFalse();
        assertThat(ObjectKeys.isFrameOf("dir/My clip.mp4", "dir/My clip.frames/000012.346.jpg")).isFalse();
        assertThat(ObjectKeys.isFrameOf("other.mp4", "dir/My clip.frames/000012.346.jpeg")).isFalse();
        // A video named like a later frame gets a first frame ending in .jpg, never one of those .jpeg keys.
        assertThat(ObjectKeys.frameKey("clip.frames/000001.000")).isEqualTo("clip.frames/000001.000.jpg");
        assertThat(ObjectKeys.isFrameOf("clip.mp4", ObjectKeys.frameKey("clip.frames/000001.000"))).isFalse();
    }

    @Test
    void aStemTooLongForTheLaterFramesNamesIsHashedAndStillUnderS3sLimit() {
        String longest = "x".repeat(ObjectKeys.MAX_KEY_BYTES - ".json".length() - ".mp4".length()) + ".mp4";
        String key = ObjectKeys.sampledFrameKey(longest, 1);
        assertThat(key.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(ObjectKeys.MAX_KEY_BYTES);
        assertThat(key).matches("x+~[0-9a-f]{16}\\.frames/000001\\.000\\.jpeg");
        assertThat(ObjectKeys.isFrameOf(longest, key)).isTrue();
        assertThat(ObjectKeys.isFrameOf(longest.replace(".mp4", "y.mp4"), key)).isFalse();
    }
}
