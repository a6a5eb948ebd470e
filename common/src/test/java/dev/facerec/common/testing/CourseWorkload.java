package dev.facerec.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The course's graded workload, built as {@code ../shared/datasets/seed/README.md} says: {@code test_NN.mp4} is a copy
 * of the (NN mod 8)-th course video; the expected names come from {@code expected.csv}.
 */
public final class CourseWorkload {
    private static final List<String> SOURCES = List.of("test_0.mp4", "test_1.mp4", "test_2.mp4", "test_4.mp4",
            "test_5.mp4", "test_6.mp4", "test_7.mp4", "test_8.mp4");

    /** One graded video: its name in the workload, the course video it copies, and the grader's answer. */
    public record Video(String name, Path source, String expectedName) {
    }

    private CourseWorkload() {
    }

    /** The 100 graded videos, test_00.mp4 ... test_99.mp4. */
    public static List<Video> graded() {
        return rows("test_case_2");
    }

    /** The 8 course videos with their expected names. */
    public static List<Video> course() {
        return rows("test_case_1");
    }

    private static List<Video> rows(String testCase) {
        Path seed = SharedData.folder("datasets/seed");
        try {
            return Files.readAllLines(seed.resolve("expected.csv")).stream().skip(1)
                    .map(line -> line.split(","))
                    .filter(cells -> cells[0].equals(testCase))
                    .map(cells -> new Video(cells[1], seed.resolve("videos").resolve(source(cells[1])), cells[2]))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String source(String video) {
        if (SOURCES.contains(video)) {
            return video;
        }
        int number = Integer.parseInt(video.substring("test_".length(), video.indexOf('.')));
        return SOURCES.get(number % SOURCES.size());
    }
}
