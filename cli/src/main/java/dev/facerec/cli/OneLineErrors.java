package dev.facerec.cli;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Every command's mistakes and failures as one line on stderr, {@code faas <command>: <what is wrong and what to
 * do>}: exit status 2 when the command line is wrong (picocli's parsing and value checks, or a command's own
 * {@link ParameterException}), 1 when the work failed. With {@code --debug} a failure's stack trace follows.
 */
final class OneLineErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private final BooleanSupplier debug;

    OneLineErrors(BooleanSupplier debug) {
        this.debug = debug;
    }

    @Override
    public int handleParseException(ParameterException mistake, String[] args) {
        CommandLine command = mistake.getCommandLine();
        String suggestions = mistake instanceof UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()
                ? "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?" : "";
        print(command, mistake.getMessage() + suggestions + " (see " + helpFor(command) + ")");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        print(command, Failures.describe(failure)
                + (Failures.foreseen(failure) || debug.getAsBoolean() ? "" : " (--debug prints the stack trace)"));
        if (debug.getAsBoolean()) {
            failure.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    private static void print(CommandLine command, String line) {
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + line);
        err.flush();
    }

    /** {@code faas help recognize} for a subcommand, {@code faas help} for faas itself. */
    private static String helpFor(CommandLine command) {
        String root = command.getCommandSpec().root().name();
        return command.getParent() == null ? root + " help" : root + " help " + command.getCommandName();
    }
}
