package dev.facerec.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --quiet}, for the commands that work through a batch, and the progress they show on stderr. */
final class ProgressOption {
    @Option(names = {"-q", "--quiet"}, description = "Show no progress on stderr.")
    boolean quiet;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** A bar when stderr is a terminal, plain lines when it is not; nothing with --quiet or for a single input. */
    BatchProgress start(int inputs) {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (quiet || inputs < 2) {
            return new BatchProgress.Silent(out);
        }
        if (err instanceof TerminalWriter terminal) {
            return new BatchProgress.Bar(command.qualifiedName(), inputs, out, terminal);
        }
        return new BatchProgress.Lines(command.qualifiedName(), inputs, out, err);
    }
}
