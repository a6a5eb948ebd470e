package dev.facerec.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the faas command in-process, as its main method sets it up, and keeps what it printed. */
final class Faas {
    record Run(int status, List<String> lines, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Faas() {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FaasCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString().lines().toList(), err.toString());
    }
}
