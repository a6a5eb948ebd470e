package dev.facerec.recognition.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facerec.common.testing.CapturedMetrics;
import dev.facerec.common.testing.EmfSpec;
import dev.facerec.common.testing.LambdaMemory;
import dev.facerec.common.testing.SharedData;
import dev.facerec.common.testing.TestAws;
import dev.facerec.common.testing.WireLambdaEndpoint;
import dev.facerec.localaws.LambdaRuntimeApi;
import dev.facerec.splitter.lambda.SampleEvents;
import dev.facerec.recognition.gallery.GalleryJson;
import dev.facerec.recognition.lambda.RecognitionFixture;
import dev.facerec.splitter.core.TestVideos;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * ({@code AWSLambda <handler>}, the handler taken from the Dockerfile's CMD, the JVM options from its ENV and from
 * docker/lambda-java.sh), talking to
 * a loopback Runtime API; S3 is S3Mock, and the splitter's async Invoke is taken off the wire and delivered to the
 * recogniser as its event. This is what the in-process handler tests cannot show: that the RIC finds the handlers,
 * deserialises an S3 event and a stage message for them, and that the class paths the images get are complete.
 *
 * <p>Both functions are started once, as two cold containers, and serve every invocation here. Each has its own
 * empty temp folder as {@code java.io.tmpdir} and {@code TMPDIR} (Lambda's /tmp), watched for every path created in
 * it: an invocation may neither leave nor create anything there, and no path created there may be derived from an
 * object key. Each function's output (its Log4j JSON lines and anything else it prints) is kept as well as printed:
 * it must never carry an object's contents, a presigned URL or a signing header, nor the secret access key.
 */
class LambdaRuntimeTest {
    static final String INPUT = SampleEvents.INPUT_BUCKET; // samples/events/s3-put.json's
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
    /** What only a signed request or a presigned URL carries; checked case-insensitively in every output line. */
    static final List<String> SIGNING_WORDS = List.of("X-Amz-Signature", "X-Amz-Credential", "AWSAccessKeyId");
    /** A URL whose query string has a presigned URL's parameters (SigV4 or SigV2). */
    static final Pattern PRESIGNED_URL = Pattern.compile("(?i)https?://[^\\s\"']*\\?[^\\s\"']*(?:x-amz-(?:"
            + "algorithm|credential|signature|security-token|date|expires)|awsaccesskeyid|signature|expires)=");

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().silent()
            .withInitialBuckets(INPUT, STAGE, OUTPUT, GALLERIES).build();

    static S3Client s3;
    static WireLambdaEndpoint lambdaService;
    /** The functions' working directory (the RIC's task root: empty, so all classes come from -cp). */
    @TempDir
    static Path taskRoot;
    static final List<FunctionJvm> functions = new ArrayList<>();
    /** The settings both functions get: S3Mock, the loopback Lambda endpoint, the test credentials. */
    static Map<String, String> aws;
    static FunctionJvm splitter;
    static FunctionJvm recognizer;

    @BeforeAll
    static void deploy() throws Exception {
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

        aws = TestAws.environment(S3_MOCK.getHttpPort(), lambdaService.url());
        // Metrics on, as deployed: their lines go to the same output as the logs.
        aws.put("METRICS_NAMESPACE", CapturedMetrics.NAMESPACE);
        aws.put("METRICS_SERVICE", CapturedMetrics.SERVICE);
        Map<String, String> splitterEnv = new LinkedHashMap<>(aws);
        splitterEnv.put("STAGE_BUCKET", STAGE);
        splitterEnv.put("OUTPUT_BUCKET", OUTPUT);
        splitterEnv.put("FACE_RECOGNITION_FUNCTION", RECOGNITION_FUNCTION);

        // Both start at once, as two cold containers would: the shared JNI library must hold up to that.
        splitter = FunctionJvm.start("video-splitting", splitterEnv);
        recognizer = FunctionJvm.start(RECOGNITION_FUNCTION, recognizerEnvironment("gallery.json"));
        splitter.awaitInit();
        recognizer.awaitInit();
    }

    /** face-recognition's environment, with the gallery at {@code galleryKey}. */
    static Map<String, String> recognizerEnvironment(String galleryKey) {
        Map<String, String> env = new LinkedHashMap<>(aws);
        env.put("STAGE_BUCKET", STAGE);
        env.put("INPUT_BUCKET", INPUT);
        env.put("OUTPUT_BUCKET", OUTPUT);
        env.put("GALLERY_URI", "s3://" + GALLERIES + "/" + galleryKey);
        return env;
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
        int invokesBefore = lambdaService.requests().size();
        FunctionJvm.Mark splitterMark = splitter.mark();
        FunctionJvm.Mark recognizerMark = recognizer.mark();
        byte[] s3Event = Files.readAllBytes(SharedData.projectRoot().resolve("samples/events/s3-put.json"));
        LambdaRuntimeApi.Outcome split = splitter.invoke(s3Event);
        assertThat(split.success()).as("video-splitting answered %s", split).isTrue();

        List<WireLambdaEndpoint.Request> invokes = lambdaService.requests();
        assertThat(invokes).as("the splitter's async invoke").hasSize(invokesBefore + 1);
        WireLambdaEndpoint.Request invoke = invokes.get(invokesBefore);
        assertThat(invoke.path()).isEqualTo("/2015-03-31/functions/" + RECOGNITION_FUNCTION + "/invocations");
        assertThat(invoke.header("X-Amz-Invocation-Type")).isEqualTo("Event");

        LambdaRuntimeApi.Outcome recognized = recognizer.invoke(invoke.body().getBytes(StandardCharsets.UTF_8));
        assertThat(recognized.success()).as("face-recognition answered %s", recognized).isTrue();

        assertThat(s3.getObjectAsBytes(b -> b.bucket(OUTPUT).key("test_0.txt")).asUtf8String()).isEqualTo("Trump");

        // The output was captured (or the checks below would pass on nothing), and holds nothing secret.
        assertThat(splitter.outputSince(splitterMark, "frame handed to face-recognition"))
                .anyMatch(line -> line.contains("test_0.mp4"));
        assertThat(recognizer.outputSince(recognizerMark, "frame recognised"))
                .anyMatch(line -> line.contains("Trump"));
        splitter.assertNoSecretsLoggedSince(splitterMark);
        recognizer.assertNoSecretsLoggedSince(recognizerMark);

        // The metrics: documents alone on their lines (what CloudWatch Logs extracts), each conforming to the
        // specification; one cold start for each function's container, whichever test invoked it first.
        assertThat(splitter.metricsSince(splitterMark)).anySatisfy(document ->
                assertThat(document.path("FramesPerVideo").asDouble()).isEqualTo(1));
        assertThat(recognizer.metricsSince(recognizerMark)).anySatisfy(document ->
                assertThat(document.path("Outcome").asText()).isEqualTo("Named")).anySatisfy(document ->
                assertThat(document.path("FacesPerFrame").isNumber()).isTrue());
        for (FunctionJvm function : List.of(splitter, recognizer)) {
            assertThat(function.metricsSince(new FunctionJvm.Mark(0, Set.of(), Set.of())))
                    .as("%s's ColdStart documents", function.name)
                    .filteredOn(document -> document.has("ColdStart")).hasSize(1);
        }
        splitter.assertNothingLeftInTmpSince(splitterMark, "test_0");
        recognizer.assertNothingLeftInTmpSince(recognizerMark, "test_0");
    }

    @Test
    void theLargestVideoAcceptedIsSplitAndRecognisedWithinEachFunctionsMemorySize(@TempDir Path dir)
            throws Exception {
        // 7680x4320, the most pixels the splitter takes: any larger is refused from its header.
        Path video = TestVideos.write(dir.resolve("8k.mov"), TestVideos.Spec.mov(), 0.08, 0, 7680, 4320);
        s3.putObject(b -> b.bucket(INPUT).key("large/8k.mov"), RequestBody.fromFile(video));
        ObjectMapper json = new ObjectMapper();
        JsonNode event = json.readTree(SharedData.projectRoot().resolve("samples/events/s3-put.json").toFile());
        ((ObjectNode) event.at("/Records/0/s3/object")).put("key", "large/8k.mov");
        int invokesBefore = lambdaService.requests().size();

        LambdaRuntimeApi.Outcome split = splitter.invoke(json.writeValueAsBytes(event));
        assertThat(split.success()).as("video-splitting answered %s", split).isTrue();
        assertThat(lambdaService.requests()).as("the frame handed on").hasSize(invokesBefore + 1);
        LambdaRuntimeApi.Outcome recognized = recognizer.invoke(lambdaService.requests().get(invokesBefore).body()
                .getBytes(StandardCharsets.UTF_8));
        assertThat(recognized.success()).as("face-recognition answered %s", recognized).isTrue();
        assertThat(s3.getObjectAsBytes(b -> b.bucket(OUTPUT).key("large/8k.mov.txt")).asUtf8String())
                .isEqualTo("NoFace");

        for (FunctionJvm function : List.of(splitter, recognizer)) {
            long peak = LambdaMemory.peakResidentMb(function.process);
            int limit = LambdaMemory.memorySizeMb(function.name);
            System.out.printf("[%s] peak resident memory %d MB of its %d MB%n", function.name, peak, limit);
            assertThat(peak).as("%s's peak resident memory, MB", function.name).isLessThan(limit);
        }
    }

    @Test
    void aRefusedUploadsContentsNeverReachTheLogsNorItsRecord() throws Exception {
        String marker = "SECRET-PAYLOAD-" + UUID.randomUUID();
        byte[] content = ("Not a video: a private text that no log may show. " + marker + "\n").repeat(64)
                .getBytes(StandardCharsets.UTF_8);
        s3.putObject(b -> b.bucket(INPUT).key("secret.mp4").contentType("video/mp4"), RequestBody.fromBytes(content));
        ObjectMapper json = new ObjectMapper();
        JsonNode event = json.readTree(SharedData.projectRoot().resolve("samples/events/s3-put.json").toFile());
        ObjectNode object = (ObjectNode) event.at("/Records/0/s3/object");
        assertThat(object.path("key").asText()).as("the sample event's key").isEqualTo("test_0.mp4");
        object.put("key", "secret.mp4");
        object.put("size", content.length);

        int invokesBefore = lambdaService.requests().size();
        FunctionJvm.Mark splitterMark = splitter.mark();
        FunctionJvm.Mark recognizerMark = recognizer.mark();
        LambdaRuntimeApi.Outcome split = splitter.invoke(json.writeValueAsBytes(event));
        assertThat(split.success()).as("video-splitting answered %s (a bad video is an outcome, not a failure)", split)
                .isTrue();
        assertThat(lambdaService.requests()).as("no frame handed on").hasSize(invokesBefore);

        assertThat(s3.getObjectAsBytes(b -> b.bucket(OUTPUT).key("secret.txt")).asUtf8String()).isEqualTo("Error");
        String record = s3.getObjectAsBytes(b -> b.bucket(OUTPUT).key("secret.json")).asUtf8String();
        System.out.println("[test] secret.json: " + record);
        assertThat(json.readTree(record).path("reason").asText()).as("the reason in %s", record).isNotBlank();
        assertThat(record).as("the Error record").doesNotContain(marker).doesNotContain("Not a video: a private");

        List<String> refusal = splitter.outputSince(splitterMark, "video refused");
        assertThat(refusal).as("the refusal is logged with its key").anyMatch(line -> line.contains("secret.mp4"));
        splitter.assertNoSecretsLoggedSince(splitterMark, marker, "Not a video: a private");
        recognizer.assertNoSecretsLoggedSince(recognizerMark, marker, "Not a video: a private");
        splitter.assertNothingLeftInTmpSince(splitterMark, "secret");
        recognizer.assertNothingLeftInTmpSince(recognizerMark, "secret");
    }

    @Test
    void thePresignedUrlPatternKnowsOneWhenItSeesOne() {
        String v4 = "https://faas-output.s3.us-east-1.amazonaws.com/test_0.json?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Date=20261128T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host";
        String v2 = "http://127.0.0.1:9090/faas-input/test_0.mp4?AWSAccessKeyId=AK&Expires=1764288000&Signature=x";
        assertThat(PRESIGNED_URL.matcher("{\"message\":\"fetching " + v4 + "\"}").find()).isTrue();
        assertThat(PRESIGNED_URL.matcher("url=" + v2).find()).isTrue();
        assertThat(PRESIGNED_URL.matcher("gallery s3://faas-gallery/gallery.json loaded; see https://aws.amazon.com/"
                + "?nc2=h_lg and http://127.0.0.1:9090/faas-input?list-type=2").find()).isFalse();
    }

    @Test
    void aMissingGalleryIsAClearErrorAtInitThenAnErrorOutcomeNeverAName() throws Exception {
        RecognitionFixture.stageFrame(s3, STAGE, INPUT, "no-gallery/test_0.mp4",
                RecognitionFixture.frameOf(SharedData.seedVideo("test_0.mp4")));
        try (FunctionJvm withoutGallery = FunctionJvm.start(RECOGNITION_FUNCTION,
                recognizerEnvironment("not-enrolled-yet.json"))) {
            FunctionJvm.Mark start = withoutGallery.mark();
            withoutGallery.awaitInit(); // the container starts: a gallery can be uploaded later

            assertThat(withoutGallery.outputSince(start, "gallery unusable at init")).as("the init log")
                    .anyMatch(line -> line.contains("\"ERROR\"") && line.contains("gallery unusable at init")
                            && line.contains("s3://" + GALLERIES + "/not-enrolled-yet.json not found"));

            LambdaRuntimeApi.Outcome outcome = withoutGallery.invoke(RecognitionFixture.courseMessage(STAGE,
                    "no-gallery/test_0.mp4").getBytes(StandardCharsets.UTF_8));
            assertThat(outcome.success()).as("face-recognition answered %s", outcome).isTrue();
            assertThat(s3.getObjectAsBytes(b -> b.bucket(OUTPUT).key("no-gallery/test_0.txt")).asUtf8String())
                    .isEqualTo("Error");
            assertThat(s3.getObjectAsBytes(b -> b.bucket(OUTPUT).key("no-gallery/test_0.json")).asUtf8String())
                    .contains("gallery s3://" + GALLERIES + "/not-enrolled-yet.json not found");
        }
    }

    @Test
    void aBadSettingFailsTheInitWithTheVariableNamed() throws Exception {
        Map<String, String> env = recognizerEnvironment("gallery.json");
        env.put("MATCH_THRESHOLD", "abc");
        try (FunctionJvm recognizer = FunctionJvm.start(RECOGNITION_FUNCTION, env)) {
            Object error = recognizer.runtimeApi.initError().get(INIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(error.toString()).contains("MATCH_THRESHOLD must be a positive number, got 'abc'")
                    .contains("ConfigException");
        }
    }

    /** The JVM options both images start their function with: the OPTIONS line of docker/lambda-java.sh. */
    static List<String> imageJvmOptions() throws IOException {
        Matcher options = Pattern.compile("^OPTIONS=\"([^\"]+)\"$", Pattern.MULTILINE)
                .matcher(Files.readString(SharedData.projectRoot().resolve("docker/lambda-java.sh")));
        assertThat(options.find()).as("OPTIONS=\"...\" in docker/lambda-java.sh").isTrue();
        List<String> list = List.of(options.group(1).split("\\s+"));
        assertThat(list).as("the image's JVM options").contains("-XX:TieredStopAtLevel=1").anyMatch(
                option -> option.startsWith("-XX:MaxRAMPercentage="));
        return list;
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

    /**
     * One function's execution environment: a JVM running the RIC, the Runtime API it polls, its own temp folder
     * (its /tmp), watched for every path created in it, and its output, kept line by line.
     */
    static final class FunctionJvm implements AutoCloseable {
        final String name;
        final LambdaRuntimeApi runtimeApi;
        final Path tmp;
        final TempWatch tmpWatch;
        Process process;
        long startNanos;
        private final List<String> output = Collections.synchronizedList(new ArrayList<>());
        /** The temp folder's contents when the init was over. */
        private Set<String> tmpAfterInit = Set.of();
        /** How many lines the init wrote. */
        private int initLines;

        /** Where a function stood before an invocation: its output so far, its temp folder's contents and history. */
        record Mark(int lines, Set<String> tmpContents, Set<String> tmpCreated) {
        }

        private FunctionJvm(String name, LambdaRuntimeApi runtimeApi, Path tmp) throws IOException {
            this.name = name;
            this.runtimeApi = runtimeApi;
            this.tmp = tmp;
            this.tmpWatch = new TempWatch(tmp);
        }

        static FunctionJvm start(String function, Map<String, String> functionEnv) throws IOException {
            Dockerfile dockerfile = Dockerfile.of(function);
            Path module = SharedData.projectRoot().resolve(function);
            for (Path built : List.of(module.resolve("target/classes"), module.resolve("target/lib"))) {
                assertThat(built).as("built by Maven before this test (run with -am)").isDirectory();
            }
            LambdaRuntimeApi api = new LambdaRuntimeApi(function);
            // Lambda's /tmp: empty at the start, this function's alone. Outside the task root, which holds classes.
            Path tmp = Files.createTempDirectory("lambda-tmp-" + function + "-");
            int memoryMb = LambdaMemory.memorySizeMb(function);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // The JVM sizes its heap from the machine's memory; on Lambda that is the function's MemorySize.
                    "-XX:MaxRAM=" + memoryMb + "m"));
            // The image's JVM options, as docker/lambda-java.sh starts the function (its class archive aside).
            command.addAll(imageJvmOptions());
            command.addAll(List.of("-Djava.io.tmpdir=" + tmp,
                    "-D" + RIC_JNI_PROPERTY + "=" + taskRoot.resolve("libaws-lambda-jni.so"),
                    "-cp", String.join(File.pathSeparator, classPath(module)),
                    AWSLambda.class.getName(), dockerfile.handler()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true);
            // Only what Lambda would set: nothing of this machine's environment but PATH reaches the function.
            Map<String, String> env = builder.environment();
            env.keySet().retainAll(List.of("PATH"));
            env.putAll(dockerfile.localEnv());
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("AWS_LAMBDA_FUNCTION_NAME", function);
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
            env.put("TMPDIR", tmp.toString());
            env.putAll(functionEnv);
            Map<String, String> shown = new LinkedHashMap<>(env);
            shown.computeIfPresent("AWS_SECRET_ACCESS_KEY", (variable, secret) -> "(hidden)");
            System.out.printf("[%s] %s%n[%s] environment %s%n", function, String.join(" ", command), function, shown);
            FunctionJvm jvm = new FunctionJvm(function, api, tmp);
            functions.add(jvm);
            jvm.startNanos = System.nanoTime();
            Process process = builder.start();
            jvm.process = process;
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

        private void pumpOutput(InputStream stdout) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
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
            tmpWatch.settle();
            tmpAfterInit = contents(tmp);
            initLines = output.size();
            System.out.printf("[%s] init left in its temp folder: %s; created there: %s%n", name, tmpAfterInit,
                    tmpWatch.created());
        }

        /** The EMF documents written since {@code mark}: each line that holds one must be one alone. */
        List<JsonNode> metricsSince(Mark mark) {
            return output().stream().skip(mark.lines()).filter(line -> line.contains("\"_aws\""))
                    .map(EmfSpec::parse).toList();
        }

        /** A mark to take before invoking: what follows it is the invocation's doing. */
        Mark mark() throws IOException {
            tmpWatch.settle();
            return new Mark(output.size(), contents(tmp), tmpWatch.created());
        }

        /** All the function's output so far. */
        List<String> output() {
            synchronized (output) {
                return List.copyOf(output);
            }
        }

        /**
         * The lines written since {@code mark}, once one of them contains {@code expected} (an invocation's last
         * log line may reach the pipe after its answer reached the Runtime API) and the output has been quiet a
         * moment.
         */
        List<String> outputSince(Mark mark, String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline
                    && output().stream().skip(mark.lines()).noneMatch(line -> line.contains(expected))) {
                Thread.sleep(20);
            }
            for (int seen = -1; seen != output.size() && System.nanoTime() < deadline; ) {
                seen = output.size();
                Thread.sleep(200);
            }
            List<String> since = output().stream().skip(mark.lines()).toList();
            assertThat(since).as("%s's output since the invocation", name).anyMatch(line -> line.contains(expected));
            return since;
        }

        /**
         * The output of the init and of what followed {@code mark} holds no signing header or parameter, no
         * presigned URL, not the secret access key, nor any of {@code secrets} (all compared case-insensitively).
         */
        void assertNoSecretsLoggedSince(Mark mark, String... secrets) {
            List<String> all = output();
            List<String> lines = new ArrayList<>(all.subList(0, initLines));
            lines.addAll(all.subList(mark.lines(), all.size()));
            List<String> forbidden = new ArrayList<>(SIGNING_WORDS);
            forbidden.add(aws.get("AWS_SECRET_ACCESS_KEY"));
            forbidden.addAll(List.of(secrets));
            List<String> leaks = new ArrayList<>();
            for (String line : lines) {
                for (String secret : forbidden) {
                    if (line.toLowerCase(Locale.ROOT).contains(secret.toLowerCase(Locale.ROOT))) {
                        leaks.add("'" + secret + "' in: " + line);
                    }
                }
                if (PRESIGNED_URL.matcher(line).find()) {
                    leaks.add("a presigned URL in: " + line);
                }
            }
            assertThat(leaks).as("%s's output (init and invocation, %d lines) leaks", name, lines.size()).isEmpty();
        }

        /**
         * The invocations since {@code mark} left nothing in the temp folder and created nothing there, kept or
         * deleted (template.yaml sizes /tmp at its minimum because neither function writes there); no path ever
         * created in it has a name containing {@code keyStem}; and it holds what the init left, no less.
         */
        void assertNothingLeftInTmpSince(Mark mark, String keyStem) throws IOException {
            tmpWatch.settle();
            Set<String> now = contents(tmp);
            Set<String> added = new TreeSet<>(now);
            added.removeAll(mark.tmpContents());
            Set<String> created = tmpWatch.created();
            Set<String> createdSince = new TreeSet<>(created);
            createdSince.removeAll(mark.tmpCreated());
            System.out.printf("[%s] temp folder: the invocation created %s, left %s%n", name, createdSince, added);
            assertThat(added).as("%s: what the invocation left in its temp folder %s", name, tmp).isEmpty();
            assertThat(createdSince).as("%s: what the invocation created in its temp folder, even for a moment", name)
                    .isEmpty();
            assertThat(created).as("%s: paths created in its temp folder", name)
                    .noneMatch(path -> path.contains(keyStem)).doesNotContain(TempWatch.OVERFLOW);
            assertThat(now).as("%s: its temp folder still holds what the init left", name).containsAll(tmpAfterInit);
        }

        private static Set<String> contents(Path folder) throws IOException {
            try (Stream<Path> paths = Files.walk(folder)) {
                return paths.filter(path -> !path.equals(folder)).map(path -> folder.relativize(path).toString())
                        .collect(Collectors.toCollection(TreeSet::new));
            }
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
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
            runtimeApi.close();
            tmpWatch.close();
            if (!Files.exists(tmp)) {
                return; // closed before
            }
            try (Stream<Path> paths = Files.walk(tmp)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.out.println("[" + name + "] temp folder " + tmp + " not removed: " + e);
            }
        }
    }

    /**
     * Every path created in a folder or its subfolders (inotify, through the WatchService), kept or deleted since:
     * what a final listing cannot show. A file created in a new subfolder before the subfolder is watched is missed;
     * the final listing still sees it if it stays.
     */
    static final class TempWatch implements AutoCloseable {
        /** Recorded when events were lost: the record is incomplete, and the check fails. */
        static final String OVERFLOW = "(events lost: watch overflow)";

        private final Path root;
        private final WatchService watch;
        private final Map<WatchKey, Path> folders = new ConcurrentHashMap<>();
        private final Set<String> created = ConcurrentHashMap.newKeySet();
        private final Thread thread;

        TempWatch(Path root) throws IOException {
            this.root = root;
            this.watch = root.getFileSystem().newWatchService();
            register(root);
            thread = new Thread(this::run, "watch-" + root.getFileName());
            thread.setDaemon(true);
            thread.start();
        }

        Set<String> created() {
            return new TreeSet<>(created);
        }

        /** Gives events already in flight a moment to arrive. */
        void settle() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void register(Path folder) {
            try {
                folders.put(folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE), folder);
            } catch (IOException e) {
                // Gone already: what it held is gone too.
            }
        }

        private void run() {
            try {
                while (true) {
                    WatchKey key = watch.take();
                    Path folder = folders.get(key);
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW || folder == null) {
                            created.add(OVERFLOW);
                            continue;
                        }
                        Path path = folder.resolve((Path) event.context());
                        created.add(root.relativize(path).toString());
                        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                            register(path);
                        }
                    }
                    key.reset();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed
            }
        }

        @Override
        public void close() {
            try {
                watch.close();
            } catch (IOException e) {
                // nothing to keep
            }
        }
    }
}
