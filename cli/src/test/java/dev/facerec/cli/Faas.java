package dev.facerec.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/** Runs the faas command in-process, as its main method sets it up, and keeps what it printed. */
final class Faas {
    /** The terminal width {@link #runOnTerminal} gives stderr. */
    static final int COLUMNS = 80;

    record Run(int status, List<String> lines, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Faas() {
    }

    /** stderr is not a terminal, as in a pipe or a CI log. */
    static Run run(String... args) {
        return run(PrintWriter::new, args);
    }

    /** stderr is a terminal, as main finds it when there is one: what is drawn on it is kept. */
    static Run runOnTerminal(String... args) {
        return run(terminal -> new TerminalWriter(terminal, COLUMNS), args);
    }

    private static Run run(Function<StringWriter, PrintWriter> stderr, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FaasCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(stderr.apply(err));
        int status = cli.execute(args);
        return new Run(status, out.toString().lines().toList(), err.toString());
    }
}
