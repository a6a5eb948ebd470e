package dev.facerec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code faas} command: the pipeline's own code on a laptop, without AWS. */
@Command(name = "faas", mixinStandardHelpOptions = true, version = "faas 1.0.0",
        description = "Tells who is in a video, with the same code as the serverless functions.",
        subcommands = {SplitCommand.class, EnrollCommand.class, RecognizeCommand.class, BenchCommand.class})
public final class FaasCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new FaasCli()).execute(args));
    }
}
