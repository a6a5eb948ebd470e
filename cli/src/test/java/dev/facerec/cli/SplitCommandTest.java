package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.SampleFaces;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitCommandTest {
    private static final int FOLDER_VIDEOS = 12;

    @TempDir
    Path dir;

    static Faas.Run faas(String... args) {
        return Faas.run(args);
    }

    @Test
    void splitsEveryCourseVideoInInputOrder() throws Exception {
        List<Path> videos;
        try (Stream<Path> files = Files.list(SharedData.seedVideos())) {
            videos = files.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
        }
        assertThat(videos).hasSize(8);
        List<String> args = new ArrayList<>(List.of("split", "--out", dir.resolve("frames").toString()));
        videos.forEach(v -> args.add(v.toString()));

        Faas.Run run = faas(args.toArray(String[]::new));

        assertThat(run.status()).isZero();
        assertThat(run.lines()).hasSize(8);
        for (int i = 0; i < videos.size(); i++) {
            assertThat(run.lines().get(i)).isEqualTo(videos.get(i) + "\t0.000");
            String stem = videos.get(i).getFileName().toString().replace(".mp4", "");
            BufferedImage frame = ImageIO.read(dir.resolve("frames").resolve(stem + ".jpg").toFile());
            assertThat(frame.getWidth()).isGreaterThanOrEqualTo(854);
        }
    }

    @Test
    void keyframesWritesEveryFrameAsTheStageBucketNamesThem() throws Exception {
        Path story = SampleFaces.story(dir.resolve("story.mp4"));
        Path out = dir.resolve("frames");

        Faas.Run run = faas("split", "--out", out.toString(), "--frames", "keyframes", story.toString());

        assertThat(run.status()).isZero();
        // The keyframes at 0 and 1 s are black.
        assertThat(run.lines()).containsExactly(story + "\t2.000 3.000 4.000 5.000 6.000 7.000 8.000");
        assertThat(ImageIO.read(out.resolve("story.jpg").toFile()).getWidth()).isEqualTo(1280);
        for (int second = 3; second <= 8; second++) {
            Path later = out.resolve("story.frames/00000" + second + ".000.jpeg");
            assertThat(ImageIO.read(later.toFile()).getHeight()).as(later.toString()).isEqualTo(1024);
        }
    }

    @Test
    void aBadVideoIsReportedOnItsLineAndTheStatusIsOne() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.mp4"), "not a video\n".repeat(30));
        Path good = SharedData.seedVideo("test_4.mp4");
        Path missing = dir.resolve("missing.mp4");

        Faas.Run run = faas("split", "--out", dir.toString(), notes.toString(), good.toString(), missing.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.lines()).containsExactly(
                notes + "\tError: cannot open as a video: not a container FFmpeg recognises, or its header is corrupt",
                good + "\t0.000",
                missing + "\tError: no such file: " + missing);
        assertThat(dir.resolve("test_4.jpg")).exists();
        assertThat(dir.resolve("notes.jpg")).doesNotExist();
    }

    @Test
    void aFolderStandsForTheVideosUnderItSortedAndProgressGoesToStderrAsLines() throws Exception {
        Path videos = folderOfVideos();
        Path empty = Files.createDirectory(dir.resolve("empty"));

        Faas.Run run = faas("split", "--out", dir.resolve("frames").toString(), videos.toString(), empty.toString());

        assertThat(run.status()).as("the empty folder failed").isEqualTo(1);
        List<String> expected = new ArrayList<>(videoPaths(videos).stream().map(v -> v + "\t0.000").toList());
        expected.add(empty + "\tError: no videos in this folder");
        assertThat(run.lines()).containsExactlyElementsOf(expected);
        // 13 inputs: a line every second one, and at the end.
        assertThat(run.errLines()).containsExactly("faas split: 2 of 13 done", "faas split: 4 of 13 done",
                "faas split: 6 of 13 done", "faas split: 8 of 13 done", "faas split: 10 of 13 done",
                "faas split: 12 of 13 done", "faas split: 13 of 13 done");
        assertThat(dir.resolve("frames/v07.jpg")).exists();
    }

    @Test
    void quietShowsNoProgress() throws Exception {
        Path videos = folderOfVideos();

        Faas.Run run = faas("split", "--quiet", "--out", dir.resolve("frames").toString(), videos.toString());

        assertThat(run.status()).isZero();
        assertThat(run.lines()).hasSize(FOLDER_VIDEOS);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void onATerminalProgressIsABarThatLeavesStdoutToTheAnswers() throws Exception {
        Path videos = folderOfVideos();

        Faas.Run run = Faas.runOnTerminal("split", "--out", dir.resolve("frames").toString(), videos.toString());

        assertThat(run.status()).isZero();
        assertThat(run.lines()).containsExactlyElementsOf(videoPaths(videos).stream().map(v -> v + "\t0.000")
                .toList());
        // Redrawn in place (carriage returns, no new lines), full at the end, then wiped.
        assertThat(run.err()).doesNotContain("\n").contains("faas split 100%", FOLDER_VIDEOS + "/" + FOLDER_VIDEOS)
                .endsWith("\r" + " ".repeat(Faas.COLUMNS - 1) + "\r");
    }

    /** v00.mp4 ... v11.mp4, in two subfolders, with a file that is no video beside them. */
    private Path folderOfVideos() throws Exception {
        Path videos = dir.resolve("videos");
        for (int i = 0; i < FOLDER_VIDEOS; i++) {
            Media.video(videos.resolve(i % 2 == 0 ? "even" : "odd").resolve(videoName(i)), Media.grey());
        }
        Files.writeString(videos.resolve("odd/notes.txt"), "not a video");
        return videos;
    }

    /** In the order the command must take them: folder by folder, file by file, by name. */
    private static List<Path> videoPaths(Path videos) {
        return Stream.of("even", "odd").flatMap(folder -> IntStream.range(0, FOLDER_VIDEOS)
                .filter(i -> folder.equals(i % 2 == 0 ? "even" : "odd"))
                .mapToObj(i -> videos.resolve(folder).resolve(videoName(i)))).toList();
    }

    private static String videoName(int number) {
        return String.format("v%02d.mp4", number);
    }
}
