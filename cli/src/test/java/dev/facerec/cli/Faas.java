package dev.facerec.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the faas command in-process and keeps what it printed. */
final class Faas {
    record Run(int status, List<String> lines, String err) {
    }

    private Faas() {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FaasCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString().lines().toList(), err.toString());
    }
}
