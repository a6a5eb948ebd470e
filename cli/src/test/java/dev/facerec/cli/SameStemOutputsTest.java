package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two videos whose names differ only in the extension, written to one folder by faas split and faas recognize: each
 * keeps its own frame, named as the pipeline names it (common's ObjectKeys), the .mp4 as the course does.
 */
class SameStemOutputsTest {
    @TempDir
    Path dir;
    Path mp4;
    Path mov;

    @BeforeEach
    void twoVideosOfOneStem() throws Exception {
        mp4 = Files.copy(SharedData.seedVideo("test_0.mp4"), dir.resolve("dup.mp4"));
        mov = Files.copy(SharedData.seedVideo("test_1.mp4"), dir.resolve("dup.mov"));
    }

    @Test
    void splitWritesAFrameForEach() throws Exception {
        Path out = dir.resolve("frames");

        Faas.Run run = Faas.run("split", "--out", out.toString(), mp4.toString(), mov.toString());

        assertThat(run.status()).isZero();
        assertFramesOfBoth(out);
    }

    @Test
    void recognizeAnnotatesAFrameForEach() throws Exception {
        Path out = dir.resolve("annotated");

        Faas.Run run = Faas.run("recognize", "--gallery", SharedData.seedGallery().toString(), "--annotate",
                out.toString(), mp4.toString(), mov.toString());

        assertThat(run.status()).isZero();
        assertFramesOfBoth(out);
    }

    private static void assertFramesOfBoth(Path out) throws Exception {
        try (var files = Files.list(out)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder("dup.jpg",
                    "dup.mov.jpg");
        }
        assertThat(Files.readAllBytes(out.resolve("dup.jpg"))).as("two videos, two frames")
                .isNotEqualTo(Files.readAllBytes(out.resolve("dup.mov.jpg")));
    }
}
