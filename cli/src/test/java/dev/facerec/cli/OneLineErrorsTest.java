package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * A mistake gets one line on stderr, {@code faas <command>: <what is wrong and what to do>}, never a stack trace, and
 * nothing on stdout: status 2 when the command line is wrong, 1 when the work failed.
 */
class OneLineErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aGalleryThatDoesNotExist() {
        Path nowhere = dir.resolve("nowhere.json");

        Faas.Run run = Faas.run("recognize", "--gallery", nowhere.toString(), "video.mp4");

        assertOneLine(run, 1, "faas recognize: --gallery " + nowhere + ": no such file or folder; give a gallery file "
                + "(faas enroll makes one) or a folder of <Name>/*.jpg photos");
    }

    @Test
    void anEmptyPhotosFolderAsTheGallery() throws Exception {
        Path photos = Files.createDirectory(dir.resolve("photos"));

        Faas.Run run = Faas.run("recognize", "--gallery", photos.toString(), "video.mp4");

        assertOneLine(run, 1, "faas recognize: no face enrolled from " + photos + " (expected " + photos
                + "/<Name>/*.jpg|jpeg|png)");
    }

    @Test
    void anEmptyPhotosFolderToEnroll() throws Exception {
        Path photos = Files.createDirectory(dir.resolve("photos"));
        Path gallery = dir.resolve("gallery.json");

        Faas.Run run = Faas.run("enroll", "--photos", photos.toString(), "--out", gallery.toString());

        assertOneLine(run, 1, "faas enroll: no face enrolled from " + photos + " (expected " + photos
                + "/<Name>/*.jpg|jpeg|png)");
        assertThat(gallery).doesNotExist();
    }

    @Test
    void aMalformedGalleryFile() throws Exception {
        Path gallery = Files.writeString(dir.resolve("gallery.json"), "{\"format_version\": 1, \"people\": [");

        Faas.Run run = Faas.run("recognize", "--gallery", gallery.toString(), "video.mp4");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.lines()).isEmpty();
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("faas recognize: gallery " + gallery + " is not a readable gallery file: ");
    }

    @Test
    void noThreads() {
        Faas.Run run = Faas.run("recognize", "--gallery", "gallery.json", "--threads", "0", "video.mp4");

        assertOneLine(run, 2, "faas recognize: Invalid value for option '--threads': must be at least 1, not 0 "
                + "(see faas help recognize)");
    }

    @ParameterizedTest
    @CsvSource({"-1, -1.0", "0, 0.0", "2.5, 2.5", "NaN, NaN"})
    void aThresholdOutsideWhatTheMatcherTakes(String given, String read) {
        Faas.Run run = Faas.run("recognize", "--gallery", "gallery.json", "--threshold", given, "video.mp4");

        assertOneLine(run, 2, "faas recognize: Invalid value for option '--threshold': must be above 0 and at most "
                + "2.0 (the default is 0.55), not " + read + " (see faas help recognize)");
    }

    @Test
    void enrollWithAPhotosFolderThatDoesNotExist() {
        Path nowhere = dir.resolve("my-photos");

        Faas.Run run = Faas.run("enroll", "--photos", nowhere.toString(), "--out", dir.resolve("g.json").toString());

        assertOneLine(run, 1, "faas enroll: --photos " + nowhere + ": no such folder; give a folder of "
                + "<Name>/*.jpg photos");
    }

    // The tests run as root, who may write anywhere: a folder that cannot be made is one under a file.
    @Test
    void splitToAFolderThatCannotBeMade() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        Path out = file.resolve("frames");

        Faas.Run run = Faas.run("split", "--out", out.toString(), "video.mp4");

        assertOneLine(run, 1, "faas split: cannot write to --out " + out + ": " + file + " is a file, not a folder; "
                + "choose another --out");
    }

    @Test
    void enrollToAFolderThatCannotBeMade() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        Path out = file.resolve("gallery.json");

        Faas.Run run = Faas.run("enroll", "--photos", dir.toString(), "--out", out.toString());

        assertOneLine(run, 1, "faas enroll: cannot write to --out " + out + ": " + file + " is a file, not a "
                + "folder; choose another --out");
    }

    @Test
    void enrollOverAFolder() {
        Faas.Run run = Faas.run("enroll", "--photos", dir.toString(), "--out", dir.toString());

        assertOneLine(run, 1, "faas enroll: cannot write to --out " + dir + ": it is a folder; give a file's name");
    }

    @Test
    void aPortOutOfRange() {
        Faas.Run run = Faas.run("local", "--gallery", "gallery.json", "--port", "70000");

        assertOneLine(run, 2, "faas local: Invalid value for option '--port': must be a port from 1 to 65535, or 0 "
                + "for any free one, not 70000 (see faas help local)");
    }

    @Test
    void aPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The gallery is never reached: the port is bound first.
            Faas.Run run = Faas.run("local", "--gallery", dir.resolve("none.json").toString(), "--port",
                    String.valueOf(taken.getLocalPort()));

            assertOneLine(run, 1, "faas local: port " + taken.getLocalPort() + " is in use: choose another with "
                    + "--port");
        }
    }

    @Test
    void aMisspelledCommandGetsASuggestion() {
        Faas.Run run = Faas.run("recognise", "video.mp4");

        assertOneLine(run, 2, "faas: Unmatched arguments from index 0: 'recognise', 'video.mp4'; did you mean "
                + "recognize? (see faas help)");
    }

    @Test
    void noCommand() {
        assertOneLine(Faas.run(), 2, "faas: Missing required subcommand (see faas help)");
    }

    /** Each command, those to come included: picocli's mistakes go through the same handler, --debug is there. */
    @Test
    void everyCommandTellsAMistakeInOneLineAndTakesDebug() {
        Map<String, CommandLine> commands = FaasCli.commandLine().getSubcommands();
        assertThat(commands).containsKeys("split", "enroll", "recognize", "bench", "local");
        commands.forEach((name, command) -> {
            if (command.getCommand() instanceof CommandLine.HelpCommand) {
                return;
            }
            assertThat(command.getCommandSpec().findOption("--debug")).as("--debug of faas %s", name).isNotNull();
            Faas.Run run = Faas.run(name, "--no-such-option");
            assertThat(run.status()).as("faas %s --no-such-option", name).isEqualTo(2);
            assertThat(run.lines()).isEmpty();
            assertThat(run.errLines()).singleElement().asString().startsWith("faas " + name + ": ")
                    .endsWith(" (see faas help " + name + ")");
        });
    }

    @Test
    void debugPrintsTheStackTraceAfterTheLine() throws Exception {
        Path out = Files.writeString(dir.resolve("notes.txt"), "a file").resolve("frames");

        Faas.Run run = Faas.run("split", "--debug", "--out", out.toString(), "video.mp4");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines().get(0)).startsWith("faas split: cannot write to --out " + out);
        assertThat(run.errLines().get(1)).startsWith(CommandFailure.class.getName() + ": cannot write to --out");
        assertThat(run.errLines()).anyMatch(line -> line.startsWith("\tat " + OutputFolder.class.getName()));
    }

    /** A failure nobody foresaw (a bug) is named by its kind, and the line says how to see more. */
    @Test
    void anUnforeseenFailureSaysHowToSeeMore() {
        StringWriter err = new StringWriter();
        CommandLine split = FaasCli.commandLine().getSubcommands().get("split");
        split.setErr(new PrintWriter(err));

        int status = new OneLineErrors(() -> false).handleExecutionException(
                new IllegalStateException("a frame of -1 bytes"), split, null);

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("faas split: IllegalStateException: a frame of -1 bytes "
                + "(--debug prints the stack trace)" + System.lineSeparator());
    }

    private static void assertOneLine(Faas.Run run, int status, String line) {
        assertThat(run.status()).as("exit status").isEqualTo(status);
        assertThat(run.lines()).as("stdout").isEmpty();
        assertThat(run.errLines()).as("stderr").containsExactly(line);
    }
}
