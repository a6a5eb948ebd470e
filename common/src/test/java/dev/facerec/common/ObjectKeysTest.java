package dev.facerec.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    @Test
    void keepsThePrefixAndReplacesTheLastExtension() {
        assertThat(ObjectKeys.frameKey("dir/My clip.mp4")).isEqualTo("dir/My clip.jpg");
        assertThat(ObjectKeys.outcomeKey("dir/My clip.mp4")).isEqualTo("dir/My clip.txt");
        assertThat(ObjectKeys.recordKey("dir/My clip.mp4")).isEqualTo("dir/My clip.json");
        assertThat(ObjectKeys.outcomeKey("dir/My clip.jpg")).isEqualTo("dir/My clip.txt");
    }

    @Test
    void dotsInFoldersAndLeadingDotsAreNotExtensions() {
        assertThat(ObjectKeys.stem("v1.2/clip")).isEqualTo("v1.2/clip");
        assertThat(ObjectKeys.stem("dir/.hidden")).isEqualTo("dir/.hidden");
        assertThat(ObjectKeys.stem("a.b.c.mov")).isEqualTo("a.b.c");
        assertThat(ObjectKeys.frameKey("noextension")).isEqualTo("noextension.jpg");
    }

    @Test
    void anyUtf8KeyKeepsItsCharacters() {
        assertThat(ObjectKeys.outcomeKey("vidéos/日本 (1)+x.mkv")).isEqualTo("vidéos/日本 (1)+x.txt");
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
        assertThat(ObjectKeys.outcomeKey("..hidden/..x.mp4")).as("dots inside names are fine")
                .isEqualTo("..hidden/..x.txt");
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
}
