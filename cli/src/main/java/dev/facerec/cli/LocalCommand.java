package dev.facerec.cli;

import dev.facerec.cli.local.LocalStack;
import dev.facerec.recognition.DetectorKind;
import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.splitter.core.FrameSampling;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code faas local}: the serverless pipeline on this machine, driven with the aws CLI or any S3 client. */
@Command(name = "local", description = {
        "Runs the pipeline on this machine, as on AWS: an upload to the input bucket of its S3 endpoint starts "
                + "video-splitting, which hands the frame to face-recognition.",
        "Prints how to use it, then one line per step: <video><TAB><stage><TAB><milliseconds> ms<TAB><outcome>.",
        "Ctrl-C stops it."})
final class LocalCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "4566", converter = ValueRanges.Port.class,
            description = "Port of the S3 endpoint (default ${DEFAULT-VALUE}; 0 takes any free port).")
    int port;

    @Option(names = "--lambda-port", defaultValue = "0", converter = ValueRanges.Port.class,
            description = "Port of the Invoke endpoint that serves face-recognition (default: any free port).")
    int lambdaPort;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS", converter = ListenAddress.class,
            description = {"Address both endpoints listen on (default ${DEFAULT-VALUE}). 0.0.0.0 lets a container "
                    + "reach them, as sam local invoke's do (docs/DEPLOY.md); anyone on the network can then too."})
    InetAddress host;

    @Option(names = "--gallery", required = true, paramLabel = "FILE|DIR",
            description = "Gallery file (faas enroll) or photos folder (<Name>/*.jpg, enrolled at start).")
    Path gallery;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Keep the buckets' objects in DIR (default: a temporary folder, deleted on exit).")
    Path data;

    @Mixin
    LocalStackOptions stackOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LocalStack stack;
        try {
            stack = start();
        } catch (BindException e) {
            // Only here is the port known, and what to do about it.
            String ports = lambdaPort == 0 ? "port " + port : "port " + port + " or " + lambdaPort;
            String where = host.isLoopbackAddress() ? ""
                    : " on " + host.getHostAddress() + " (or that is no address of this machine: see --host)";
            throw new CommandFailure(ports + " is in use" + where + ": choose "
                    + (lambdaPort == 0 ? "another with --port" : "others with --port or --lambda-port"), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "faas-local-stop"));
        Thread.currentThread().join(); // until Ctrl-C: the hook drains and stops the stack
        return 0;
    }

    /** Starts the stack and prints where it is and how to use it. */
    LocalStack start() throws IOException {
        long started = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        LocalStack stack = LocalStack.start(stackOptions.settings(host, port, lambdaPort, data), this::loadGallery,
                new LocalStack.Listener() {
                    @Override
                    public void step(LocalStack.Step step) {
                        note(step.line());
                    }

                    @Override
                    public void note(String message) {
                        out.println(message);
                        out.flush();
                    }
                });
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        String endpoint = stack.s3Url().toString();
        out.printf(Locale.ROOT, "faas local: ready in %.1f s (%.1f s since the JVM started)%n",
                (System.nanoTime() - started) / 1e9, sinceJvmStart / 1e3);
        out.printf("S3 endpoint  %s (path-style), objects in %s%s%n", endpoint, stack.data(),
                stack.temporaryData() ? " (deleted on exit)" : "");
        out.printf("buckets      %s: an upload starts video-splitting%n", stackOptions.inputBucket);
        out.printf("             %s: frames, <stem>.jpg%s%n", stackOptions.stageBucket,
                stackOptions.frames.mode == FrameSampling.Mode.KEYFRAMES ? " and <stem>.frames/<seconds>.jpeg" : "");
        out.printf("             %s: outcomes, <stem>.txt (name | Unknown | NoFace | Error) and <stem>.json%n",
                stackOptions.outputBucket);
        out.printf("gallery      %s: %d people, %d descriptors (upload another to re-enroll)%n", stack.galleryUri(),
                stack.gallery().personCount(), stack.gallery().descriptorCount());
        out.printf("Lambda       %s: face-recognition's Invoke (asynchronous), for a splitter run elsewhere%n",
                stack.lambdaUrl());
        out.printf("functions    video-splitting: %d at once, face-recognition: %d at once; more invocations queue%n",
                stackOptions.splittingConcurrency, stackOptions.recognitionConcurrency);
        out.println("Try it (the aws CLI wants a region and some credentials, any will do):");
        out.printf("  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=%s%n",
                LocalStack.REGION);
        out.printf("  aws --endpoint-url %s s3 cp video.mp4 s3://%s/%n", endpoint, stackOptions.inputBucket);
        out.printf("  aws --endpoint-url %s s3 cp s3://%s/video.txt -%n", endpoint, stackOptions.outputBucket);
        out.println("Ctrl-C stops. One line per step follows: video, stage, duration, outcome.");
        out.flush();
        return stack;
    }

    /** A listening address, as an IP literal: a host name would need a lookup, and could name another machine. */
    static final class ListenAddress implements ITypeConverter<InetAddress> {
        private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

        @Override
        public InetAddress convert(String value) throws UnknownHostException {
            if (!IP_LITERAL.matcher(value).matches()) {
                throw new TypeConversionException("'" + value + "' is not an IP address (such as 127.0.0.1 or 0.0.0.0)");
            }
            return InetAddress.getByName(value); // a literal: never looked up; a malformed one is refused here
        }
    }

    private Gallery loadGallery() throws IOException {
        if (Files.isDirectory(gallery)) {
            try (FaceAnalyzer analyzer = FaceAnalyzer.create(DetectorKind.DEFAULT)) {
                return GalleryOption.load(gallery, analyzer, spec.commandLine().getErr());
            }
        }
        // Read now, so that a bad file fails here rather than at the first video.
        return GalleryOption.readFile(gallery);
    }
}
