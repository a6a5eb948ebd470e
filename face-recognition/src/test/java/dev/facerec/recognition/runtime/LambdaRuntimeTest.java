package dev.facerec.recognition.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import dev.facerec.common.testing.SharedData;
import dev.facerec.common.testing.TestAws;
import dev.facerec.common.testing.WireLambdaEndpoint;
import dev.facerec.recognition.gallery.GalleryJson;
import dev.facerec.recognition.lambda.RecognitionFixture;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * Both functions run as Lambda runs them: each in its own JVM under the real runtime interface client
 * ({@code AWSLambda <handler>}, the handler taken from the Dockerfile's CMD, the JVM options from its ENV), talking to
 * a loopback Runtime API; S3 is S3Mock, and the splitter's async Invoke is taken off the wire and delivered to the
 * recogniser as its event. This is what the in-process handler tests cannot show: that the RIC finds the handlers,
 * deserialises an S3 event and a stage message for them, and that the class paths the images get are complete.
 */
class LambdaRuntimeTest {
    static final String INPUT = "faas-input";
    static final String STAGE = "faas-stage";
    static final String OUTPUT = "faas-output";
    static final String GALLERIES = "faas-gallery";
    static final String RECOGNITION_FUNCTION = "face-recognition";
    static final Duration INIT_TIMEOUT = Duration.ofMinutes(2);
    static final Duration INVOKE_TIMEOUT = Duration.ofMinutes(2);
    /** The RIC's JNI library for glibc x86-64 (it tries this name first; the project's natives are x86-64 only). */
    static final String RIC_JNI = "/jni/libaws-lambda-jni.linux-x86_64.so";
    /** Read by the RIC's JniHelper: the JNI library to load instead of copying its own to /tmp. */
    static final String RIC_JNI_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent()
            .withInitialBuckets(INPUT, STAGE, OUTPUT, GALLERIES).build();

    static S3Client s3;
    static WireLambdaEndpoint lambdaService;
    /** The functions' working directory (the RIC's task root: empty, so all classes come from -cp). */
    @TempDir
    static Path taskRoot;
    static final List<FunctionJvm> functions = new ArrayList<>();

    @BeforeAll
    static void deploy() throws IOException {
        s3 = S3_MOCK.createS3ClientV2();
        lambdaService = new WireLambdaEndpoint();
        s3.putObject(b -> b.bucket(INPUT).key("test_0.mp4"), RequestBody.fromFile(SharedData.seedVideo("test_0.mp4")));
        s3.putObject(b -> b.bucket(GALLERIES).key("gallery.json"),
                RequestBody.fromBytes(GalleryJson.write(RecognitionFixture.seedGallery())));
        // The RIC copies its JNI library to /tmp/.libaws-lambda-jni.so unless told where one is: two JVMs starting
        // at once then overwrite the library the other is loading (SIGBUS). Extracted once, shared by both.
        try (InputStream jni = AWSLambda.class.getResourceAsStream(RIC_JNI)) {
            assertThat(jni).as("%s in the runtime interface client's jar", RIC_JNI).isNotNull();
            Files.copy(jni, taskRoot.resolve("libaws-lambda-jni.so"));
        }
    }

    @AfterAll
    static void undeploy() {
        functions.forEach(FunctionJvm::close);
        if (lambdaService != null) {
            lambdaService.close();
        }
    }

    @Test
    void anUploadedVideoIsNamedByBothFunctionsUnderTheRuntimeInterfaceClient() throws Exception {
        Map<String, String> aws = TestAws.environment(S3_MOCK.getHttpPort(), lambdaService.url());
        Map<String, String> splitterEnv = new LinkedHashMap<>(aws);
        splitterEnv.put("STAGE_BUCKET", STAGE);
        splitterEnv.put("OUTPUT_BUCKET", OUTPUT);
        splitterEnv.put("FACE_RECOGNITION_FUNCTION", RECOGNITION_FUNCTION);
        Map<String, String> recognizerEnv = new LinkedHashMap<>(aws);
        recognizerEnv.put("OUTPUT_BUCKET", OUTPUT);
        recognizerEnv.put("GALLERY_URI", "s3://" + GALLERIES + "/gallery.json");

        // Both start at once, as two cold containers would: the shared JNI library must hold up to that.
        FunctionJvm splitter = FunctionJvm.start("video-splitting", splitterEnv);
        FunctionJvm recognizer = FunctionJvm.start(RECOGNITION_FUNCTION, recognizerEnv);
        splitter.awaitInit();
        recognizer.awaitInit();

        byte[] s3Event = Files.readAllBytes(SharedData.projectRoot().resolve("samples/events/s3-put.json"));
        LambdaRuntimeApi.Outcome split = splitter.invoke(s3Event);
        assertThat(split.success()).as("video-splitting answered %s", split).isTrue();

        assertThat(lambdaService.requests()).as("the splitter's async invoke").hasSize(1);
        WireLambdaEndpoint.Request invoke = lambdaService.requests().get(0);
        assertThat(invoke.path()).isEqualTo("/2015-03-31/functions/" + RECOGNITION_FUNCTION + "/invocations");
        assertThat(invoke.header("X-Amz-Invocation-Type")).isEqualTo("Event");

        LambdaRuntimeApi.Outcome recognized = recognizer.invoke(invoke.body().getBytes(StandardCharsets.UTF_8));
        assertThat(recognized.success()).as("face-recognition answered %s", recognized).isTrue();

        assertThat(s3.getObjectAsBytes(b -> b.bucket(OUTPUT).key("test_0.txt")).asUtf8String()).isEqualTo("Trump");
    }

    @Test
    void aBadSettingFailsTheInitWithTheVariableNamed() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(TestAws.environment(S3_MOCK.getHttpPort(), lambdaService.url()));
        env.put("OUTPUT_BUCKET", OUTPUT);
        env.put("GALLERY_URI", "s3://" + GALLERIES + "/gallery.json");
        env.put("MATCH_THRESHOLD", "abc");
        try (FunctionJvm recognizer = FunctionJvm.start(RECOGNITION_FUNCTION, env)) {
            Object error = recognizer.runtimeApi.initError().get(INIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(error.toString()).contains("MATCH_THRESHOLD must be a positive number, got 'abc'")
                    .contains("ConfigException");
        }
    }

    /** What a function's container image says about how Lambda starts it: the handler (CMD) and the ENV lines. */
    record Dockerfile(String handler, Map<String, String> env) {
        private static final Pattern CMD = Pattern.compile("^CMD\\s*\\[\\s*\"([^\"]+)\"", Pattern.MULTILINE);
        private static final Pattern ENV = Pattern.compile("^ENV\\s+(.*)$", Pattern.MULTILINE);
        private static final Pattern PAIR = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|(\\S*))");

        static Dockerfile of(String function) throws IOException {
            Path file = SharedData.projectRoot().resolve("docker/" + function + ".Dockerfile");
            // Continuation lines joined, so that one ENV instruction is one line.
            String text = Files.readString(file).replaceAll("\\\\\\r?\\n\\s*", " ");
            Matcher cmd = CMD.matcher(text);
            assertThat(cmd.find()).as("CMD [\"<handler>\"] in %s", file).isTrue();
            Map<String, String> env = new LinkedHashMap<>();
            for (Matcher line = ENV.matcher(text); line.find(); ) {
                for (Matcher pair = PAIR.matcher(line.group(1)); pair.find(); ) {
                    env.put(pair.group(1), pair.group(2) != null ? pair.group(2) : pair.group(3));
                }
            }
            return new Dockerfile(cmd.group(1), env);
        }

        /**
         * The ENV settings that make sense outside the image: those naming a path the image has and this machine
         * lacks (the caches /opt/javacpp-cache and /opt/djl-cache, filled at image build) are left out, so the
         * libraries use their default caches here. JAVA_TOOL_OPTIONS is filtered option by option.
         */
        Map<String, String> localEnv() {
            Map<String, String> local = new LinkedHashMap<>();
            env.forEach((name, value) -> {
                String kept = Stream.of(value.split("\\s+")).filter(setting -> !imageOnly(setting))
                        .collect(Collectors.joining(" "));
                if (!kept.isEmpty()) {
                    local.put(name, kept);
                }
            });
            return local;
        }

        private static boolean imageOnly(String setting) {
            String value = setting.substring(setting.indexOf('=') + 1);
            return value.startsWith("/") && !Files.exists(Path.of(value));
        }
    }

    /** One function's execution environment: a JVM running the RIC, and the Runtime API it polls. */
    static final class FunctionJvm implements AutoCloseable {
        final String name;
        final LambdaRuntimeApi runtimeApi;
        final Process process;
        final long startNanos;

        private FunctionJvm(String name, LambdaRuntimeApi runtimeApi, Process process, long startNanos) {
            this.name = name;
            this.runtimeApi = runtimeApi;
            this.process = process;
            this.startNanos = startNanos;
        }

        static FunctionJvm start(String function, Map<String, String> functionEnv) throws IOException {
            Dockerfile dockerfile = Dockerfile.of(function);
            Path module = SharedData.projectRoot().resolve(function);
            for (Path built : List.of(module.resolve("target/classes"), module.resolve("target/lib"))) {
                assertThat(built).as("built by Maven before this test (run with -am)").isDirectory();
            }
            LambdaRuntimeApi api = new LambdaRuntimeApi(function);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-D" + RIC_JNI_PROPERTY + "=" + taskRoot.resolve("libaws-lambda-jni.so"),
                    "-cp", String.join(File.pathSeparator, classPath(module)),
                    AWSLambda.class.getName(), dockerfile.handler());
            ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true);
            // Only what Lambda would set: nothing of this machine's environment but PATH reaches the function.
            Map<String, String> env = builder.environment();
            env.keySet().retainAll(List.of("PATH"));
            env.putAll(dockerfile.localEnv());
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("AWS_LAMBDA_FUNCTION_NAME", function);
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.putAll(functionEnv);
            System.out.printf("[%s] %s%n[%s] environment %s%n", function, String.join(" ", command), function, env);
            long start = System.nanoTime();
            Process process = builder.start();
            FunctionJvm jvm = new FunctionJvm(function, api, process, start);
            functions.add(jvm);
            Thread pump = new Thread(() -> jvm.pumpOutput(process.getInputStream()), function + "-output");
            pump.setDaemon(true);
            pump.start();
            return jvm;
        }

        /**
         * Lambda's runtime class loader first (the RIC and what it needs, from this JVM's class path), then the
         * function's classes and the jars its image copies to /var/task/lib.
         */
        private static List<String> classPath(Path module) {
            List<String> entries = new ArrayList<>();
            for (Class<?> runtime : List.of(AWSLambda.class, PojoSerializer.class, Context.class,
                    SdkInternalThreadLocal.class)) {
                try {
                    String jar = Path.of(runtime.getProtectionDomain().getCodeSource().getLocation().toURI())
                            .toString();
                    if (!entries.contains(jar)) {
                        entries.add(jar);
                    }
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            entries.add(module.resolve("target/classes").toString());
            entries.add(module.resolve("target/lib").resolve("*").toString());
            return entries;
        }

        private void pumpOutput(InputStream output) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println("[" + name + "] " + line);
                }
            } catch (IOException e) {
                System.out.println("[" + name + "] output lost: " + e);
            }
        }

        /** Waits for the first poll of /next (init done); fails on an init error or an exit before it. */
        void awaitInit() throws Exception {
            await(INIT_TIMEOUT, "its init", runtimeApi.firstPoll(), runtimeApi.initError(), process.onExit());
            if (runtimeApi.initError().isDone()) {
                fail("%s failed its init: %s", name, runtimeApi.initError().join());
            }
            if (!runtimeApi.firstPoll().isDone()) {
                fail("%s exited with status %d before polling for an event", name, process.exitValue());
            }
            System.out.printf("[%s] init: %d ms from process start to the first /next%n", name,
                    TimeUnit.NANOSECONDS.toMillis(runtimeApi.firstPoll().join() - startNanos));
        }

        LambdaRuntimeApi.Outcome invoke(byte[] event) throws Exception {
            long start = System.nanoTime();
            CompletableFuture<LambdaRuntimeApi.Outcome> outcome = runtimeApi.invoke(event, INVOKE_TIMEOUT);
            await(INVOKE_TIMEOUT, "an invocation", outcome, process.onExit());
            if (!outcome.isDone()) {
                fail("%s exited with status %d during an invocation", name, process.exitValue());
            }
            System.out.printf("[%s] invocation answered in %d ms: %s%n", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcome.join());
            return outcome.join();
        }

        private void await(Duration timeout, String what, CompletableFuture<?>... events) throws Exception {
            try {
                CompletableFuture.anyOf(events).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                fail("%s: %s took over %s", name, what, timeout);
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            runtimeApi.close();
        }
    }
}
