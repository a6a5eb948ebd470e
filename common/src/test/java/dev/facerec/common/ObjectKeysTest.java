package dev.facerec.common;

import static org.assertj.core.api.Assertions.assertThat;

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
}
