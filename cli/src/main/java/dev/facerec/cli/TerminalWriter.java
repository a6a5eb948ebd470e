package dev.facerec.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Optional;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/** A writer to a terminal, {@code columns} wide: where a progress bar may be drawn (the process's stderr, if one). */
final class TerminalWriter extends PrintWriter {
    private static final int USUAL_COLUMNS = 80;

    private final int columns;

    TerminalWriter(Writer terminal, int columns) {
        super(terminal, true);
        this.columns = columns;
    }

    int columns() {
        return columns;
    }

    /** The process's stderr, when it is a terminal (asked of the system as jline does: {@code test -t 2}). */
    static Optional<TerminalWriter> stderr() {
        TerminalProvider exec;
        try {
            exec = TerminalProvider.load("exec");
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!exec.isSystemStream(SystemStream.Error)) {
            return Optional.empty();
        }
        int columns = exec.systemStreamWidth(SystemStream.Error);
        return Optional.of(new TerminalWriter(new OutputStreamWriter(System.err),
                columns > 0 ? columns : USUAL_COLUMNS));
    }
}
