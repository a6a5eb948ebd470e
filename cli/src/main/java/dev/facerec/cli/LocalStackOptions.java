package dev.facerec.cli;

import dev.facerec.cli.local.LocalStack;
import java.net.InetAddress;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The local stack's buckets, concurrency and frame sampling, for every command that starts one ({@code local}, {@code demo}). */
final class LocalStackOptions {

    @Option(names = "--input-bucket", paramLabel = "NAME", defaultValue = "faas-input",
            description = "Bucket whose uploads start the pipeline (default ${DEFAULT-VALUE}).")
    String inputBucket;

    @Option(names = "--stage-bucket", paramLabel = "NAME", defaultValue = "faas-stage",
            description = "Bucket for the frames (default ${DEFAULT-VALUE}).")
    String stageBucket;

    @Option(names = "--output-bucket", paramLabel = "NAME", defaultValue = "faas-output",
            description = "Bucket for the outcomes (default ${DEFAULT-VALUE}).")
    String outputBucket;

    @Option(names = "--gallery-bucket", paramLabel = "NAME", defaultValue = "faas-gallery",
            description = "Bucket for gallery.json (default ${DEFAULT-VALUE}).")
    String galleryBucket;

    @Option(names = "--splitting-concurrency", paramLabel = "N", converter = ValueRanges.AtLeastOne.class,
            description = "Most video-splitting executions at once, as Lambda's reserved concurrency; more "
                    + "invocations queue (default: the number of processors, ${DEFAULT-VALUE}).")
    int splittingConcurrency = Runtime.getRuntime().availableProcessors();

    @Option(names = "--recognition-concurrency", paramLabel = "N", converter = ValueRanges.AtLeastOne.class,
            description = "Most face-recognition executions at once, likewise (default: the number of processors, "
                    + "${DEFAULT-VALUE}).")
    int recognitionConcurrency = Runtime.getRuntime().availableProcessors();

    @Mixin
    FramesOption frames;

    /** {@code port} 0 takes any free port; {@code data} null keeps the objects in a temporary folder. */
    /** Both endpoints on {@code host}, at {@code port} (S3) and {@code lambdaPort} (Invoke); 0 takes any free port. */
    LocalStack.Settings settings(InetAddress host, int port, int lambdaPort, Path data) {
        return new LocalStack.Settings(host, port, lambdaPort, data, inputBucket, stageBucket, outputBucket, galleryBucket,
                splittingConcurrency, recognitionConcurrency, frames.environment());
    }
}
