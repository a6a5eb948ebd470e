package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * faas demo as a newcomer runs it, with nothing but the jar's own data: every video gets the expected outcome, and the
 * report is one page that needs nothing else to show its frames.
 */
class DemoCommandTest {

    @Test
    void everyDemoVideoGetsItsExpectedOutcomeAndTheReportStandsAlone(@TempDir Path dir) throws Exception {
        String out = demo("--out", dir.toString(), "--input-bucket", "demo-input");

        List<String> rows = out.lines().filter(line -> line.matches("\\S+\\.mp4\\s.*")).toList();
        assertThat(rows).hasSize(7).allMatch(row -> row.endsWith(" ok"));
        assertThat(rows).anyMatch(row -> row.matches("strangers-sample1\\.mp4\\s+Unknown\\s+Unknown\\s+ok"))
                .anyMatch(row -> row.matches("staircase-sample5\\.mp4\\s+NoFace\\s+NoFace\\s+ok"))
                .anyMatch(row -> row.matches("notes\\.mp4\\s+Error\\s+Error\\s+ok"))
                .anyMatch(row -> row.matches("group-sample6\\.mp4\\s+sample6-burgundy\\s+sample6-burgundy\\s+ok"))
                .anyMatch(row -> row.matches("story-timeline\\.mp4\\s+Unknown\\s+Unknown\\s+ok"));
        assertThat(out).contains("7 of 7 videos as expected", "s3://demo-input",
                "report: " + dir.resolve("report.html").toAbsolutePath());

        String report = Files.readString(dir.resolve("report.html"));
        assertThat(report).contains("7 of 7 videos as expected")
                .contains("sample6-burgundy 0.", "Unknown 0.")
                .contains("No face found in this frame.")
                .contains("not a container FFmpeg recognises");
        assertThat(sources(report)).as("every picture is embedded").isNotEmpty()
                .allMatch(source -> source.startsWith("data:image/jpeg;base64,"));
        // 6 frames (the text file has none) and 2 enrolment photos.
        assertThat(sources(report)).hasSize(8);
    }

    @Test
    void withKeyframesTheStoryNamesThePersonSeenMostAndTheTimelineSaysWhen(@TempDir Path dir) {
        String out = demo("--out", dir.toString(), "--frames", "keyframes");

        assertThat(out).contains("7 of 7 videos as expected", "who was seen when (FRAMES=keyframes):");
        assertThat(out.lines())
                .anyMatch(row -> row.matches("story-timeline\\.mp4\\s+sample6-burgundy\\s+sample6-burgundy\\s+ok"))
                .anyMatch(row -> row.matches("\\s+story-timeline\\.mp4\\s+Unknown 2\\.0-8\\.0 s \\(7 frames\\); "
                        + "sample3-blonde 4\\.0-5\\.0 s \\(2 frames, best 0\\.\\d\\d\\); "
                        + "sample6-burgundy 6\\.0-8\\.0 s \\(3 frames, best 0\\.\\d\\d\\)"));
    }

    /** What {@code faas demo args} printed on stdout, once it exited 0. */
    private static String demo(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        int status = cli.execute(args);
        assertThat(status).as("faas demo printed:%n%s", out).isZero();
        return out.toString();
    }

    private static List<String> sources(String html) {
        Matcher matcher = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"").matcher(html);
        return matcher.results().map(m -> m.group(1)).toList();
    }
}
