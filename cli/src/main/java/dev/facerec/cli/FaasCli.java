package dev.facerec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code faas} command: the pipeline's own code on a laptop, without AWS. */
@Command(name = "faas", mixinStandardHelpOptions = true, version = "faas 1.0.0",
        description = "Tells who is in a video, with the same code as the serverless functions.",
        subcommands = {CommandLine.HelpCommand.class, SplitCommand.class, EnrollCommand.class,
                RecognizeCommand.class, BenchCommand.class, LocalCommand.class, DemoCommand.class, EvaluateCommand.class,
                GalleryCommand.class})
public final class FaasCli {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "When the command fails, print the stack trace after the one line.")
    boolean debug;

    public static void main(String[] args) {
        // The functions log JSON lines to stdout; on a terminal, stdout is the answer, so logs go quietly to stderr.
        System.setProperty("log4j2.configurationFile", "faas-cli-log4j2.xml");
        // faas local runs S3Mock, a Spring Boot app, in this JVM: Spring must not replace that configuration.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        CommandLine cli = commandLine();
        TerminalWriter.stderr().ifPresent(cli::setErr);
        System.exit(cli.execute(args));
    }

    /** faas and its subcommands, each mistake or failure told in one line ({@link OneLineErrors}). */
    static CommandLine commandLine() {
        FaasCli faas = new FaasCli();
        OneLineErrors errors = new OneLineErrors(() -> faas.debug);
        return new CommandLine(faas).setParameterExceptionHandler(errors).setExecutionExceptionHandler(errors);
    }
}
