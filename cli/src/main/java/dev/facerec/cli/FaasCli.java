package dev.facerec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code faas} command: the pipeline's own code on a laptop, without AWS. */
@Command(name = "faas", mixinStandardHelpOptions = true, version = "faas 1.0.0",
        description = "Tells who is in a video, with the same code as the serverless functions.",
        subcommands = {CommandLine.HelpCommand.class, SplitCommand.class, EnrollCommand.class,
                RecognizeCommand.class, BenchCommand.class, LocalCommand.class, DemoCommand.class, EvaluateCommand.class})
public final class FaasCli {

    public static void main(String[] args) {
        // The functions log JSON lines to stdout; on a terminal, stdout is the answer, so logs go quietly to stderr.
        System.setProperty("log4j2.configurationFile", "faas-cli-log4j2.xml");
        // faas local runs S3Mock, a Spring Boot app, in this JVM: Spring must not replace that configuration.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        System.exit(new CommandLine(new FaasCli()).execute(args));
    }
}
