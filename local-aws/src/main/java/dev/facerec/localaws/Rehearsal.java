package dev.facerec.localaws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Env;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The AWS side of {@code docker/rehearse.sh}, for the two functions running as containers: S3 (S3Mock behind
 * {@link S3Front}, whose uploads to the input bucket become S3 events), Lambda's Runtime API of each function's
 * execution environment ({@link LambdaRuntimeApi}), and the Invoke API the splitter calls ({@link LambdaEndpoint}),
 * which queues each async invoke on the recogniser's Runtime API. All on loopback: the containers share the host's
 * network.
 *
 * <p>It writes each container's environment to {@code DIR/<function>.env}: the variables the template sets, by the
 * same names ({@code samples/env.json}, which TemplateTest holds to the template), with this run's buckets, plus
 * {@code AWS_LAMBDA_RUNTIME_API} and the endpoints. It then waits for both functions' first poll (their init is
 * done), uploads the video through the S3 endpoint, waits for its outcome, and writes {@code DIR/result.json}: the
 * first polls' epoch milliseconds, each invocation's duration, the outcome; and keeps the Runtime APIs up until
 * {@code DIR/done} exists (the runtimes end when they go), so that the caller can read the containers' cgroups. Exit status 0 when the outcome is the one expected.
 *
 * <p>Usage: {@code Rehearsal DIR SAMPLES_ENV_JSON GALLERY_JSON VIDEO EXPECTED_NAME [MOTO_JSON]}: with MOTO_JSON
 * (written by {@code docker/moto_stack.py up}), S3 is moto's, with IAM enforced, and each function signs as a user
 * carrying exactly its deployed role's policies.
 */
public final class Rehearsal {
    private static final String REGION = "us-east-1";
    private static final String SPLITTER = "VideoSplittingFunction";
    private static final String RECOGNISER = "FaceRecognitionFunction";
    /** How many times slower than on its own machine the functions run: rehearse.sh sets it for an emulated arm64. */
    private static final int SLOWDOWN = Integer.getInteger("rehearsal.slowdown", 1);
    private static final Duration PATIENCE = Duration.ofMinutes(3).multipliedBy(SLOWDOWN);
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(30).multipliedBy(SLOWDOWN);

    private Rehearsal() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5 && args.length != 6) {
            System.err.println("usage: Rehearsal DIR SAMPLES_ENV_JSON GALLERY_JSON VIDEO EXPECTED_NAME [MOTO_JSON]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        JsonNode samples = Json.MAPPER.readTree(Files.readString(Path.of(args[1])));
        Path gallery = Path.of(args[2]);
        Path video = Path.of(args[3]);
        String expected = args[4];
        boolean ok = args.length == 6
                ? againstMoto(dir, samples, gallery, video, expected, Json.MAPPER.readTree(Files.readString(
                        Path.of(args[5]))))
                : againstS3Mock(dir, samples, gallery, video, expected);
        System.exit(ok ? 0 : 1);
    }

    /** S3Mock behind the S3 front: the upload goes through the front, which sends the splitter its S3 event. */
    private static boolean againstS3Mock(Path dir, JsonNode samples, Path gallery, Path video, String expected)
            throws Exception {
        Map<String, String> buckets = Map.of("INPUT_BUCKET", "rehearsal-input", "STAGE_BUCKET", "rehearsal-stage",
                "OUTPUT_BUCKET", "rehearsal-output", "GALLERY_BUCKET", "rehearsal-gallery");
        Path data = Files.createDirectories(dir.resolve("s3"));
        try (S3MockServer s3mock = S3MockServer.start(data, List.of(buckets.get("INPUT_BUCKET"),
                buckets.get("STAGE_BUCKET"), buckets.get("OUTPUT_BUCKET"), buckets.get("GALLERY_BUCKET")));
             S3Front front = new S3Front(0)) {
            Map<String, String> aws = awsEnvironment(s3mock.url().toString(), "rehearsal", "rehearsal");
            return run(dir, samples, gallery, video, expected, buckets, aws, aws, aws, (splitter, user, key) -> {
                front.start(s3mock.url(), buckets.get("INPUT_BUCKET"),
                        created -> splitter.accept(created.toNotificationJson(REGION)));
                Map<String, String> frontEnv = new TreeMap<>(aws);
                frontEnv.put("AWS_ENDPOINT_URL_S3", "http://" + S3MockServer.LOOPBACK + ":" + front.port());
                try (S3Client client = AwsClients.s3(AwsSettings.from(new Env(frontEnv)))) {
                    client.putObject(b -> b.bucket(buckets.get("INPUT_BUCKET")).key(key), RequestBody.fromFile(video));
                }
            });
        }
    }

    /**
     * moto's S3, with IAM enforced, for the stack moto_stack.py deployed: each function signs with the key of a user
     * that carries exactly its role's policies. moto's S3 sends Lambda no events, so the splitter's is made as S3
     * makes it, from the upload's answer.
     */
    private static boolean againstMoto(Path dir, JsonNode samples, Path gallery, Path video, String expected,
                                       JsonNode moto) throws Exception {
        String endpoint = moto.get("endpoint").asText();
        Map<String, String> buckets = new TreeMap<>();
        moto.get("buckets").properties().forEach(e -> buckets.put(e.getKey(), e.getValue().asText()));
        Map<String, String> admin = credentials(endpoint, moto.get("admin"));
        return run(dir, samples, gallery, video, expected, buckets, admin,
                credentials(endpoint, moto.get(SPLITTER)), credentials(endpoint, moto.get(RECOGNISER)),
                (splitter, user, key) -> {
                    long size = Files.size(video);
                    String eTag = user.putObject(b -> b.bucket(buckets.get("INPUT_BUCKET")).key(key),
                            RequestBody.fromFile(video)).eTag().replace("\"", "");
                    splitter.accept(new ObjectCreated("ObjectCreated:Put", buckets.get("INPUT_BUCKET"), key, size,
                            eTag, "00" + Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT),
                            "127.0.0.1", Instant.now()).toNotificationJson(REGION));
                });
    }

    private static Map<String, String> credentials(String endpoint, JsonNode key) {
        return awsEnvironment(endpoint, key.get("id").asText(), key.get("secret").asText());
    }

    private static Map<String, String> awsEnvironment(String s3Endpoint, String keyId, String secret) {
        return Map.of("AWS_REGION", REGION, "AWS_DEFAULT_REGION", REGION, "AWS_ACCESS_KEY_ID", keyId,
                "AWS_SECRET_ACCESS_KEY", secret, "AWS_ENDPOINT_URL_S3", s3Endpoint);
    }

    /** How the video reaches the input bucket and its event the splitter, given the user's own S3 client. */
    @FunctionalInterface
    private interface Upload {
        void upload(Consumer<String> splitterEvent, S3Client user, String key) throws Exception;
    }

    /**
     * The Runtime APIs and the Invoke API up, the containers' environments written ({@code user}: what the
     * rehearsal itself signs with; {@code splitting}, {@code recognising}: each function's), the gallery uploaded;
     * then, once both functions poll, the video uploaded and its outcome awaited.
     */
    private static boolean run(Path dir, JsonNode samples, Path gallery, Path video, String expected,
                               Map<String, String> buckets, Map<String, String> user, Map<String, String> splitting,
                               Map<String, String> recognising, Upload upload) throws Exception {
        AtomicLong splitMs = new AtomicLong(-1);
        AtomicLong recogniseMs = new AtomicLong(-1);
        try (LambdaRuntimeApi splitter = new LambdaRuntimeApi("video-splitting");
             LambdaRuntimeApi recogniser = new LambdaRuntimeApi("face-recognition");
             S3Client s3 = AwsClients.s3(AwsSettings.from(new Env(user)));
             LambdaEndpoint invoke = new LambdaEndpoint("face-recognition", payload -> timed(recogniser,
                     Json.MAPPER.valueToTree(payload).toString(), recogniseMs))) {
            s3.putObject(b -> b.bucket(buckets.get("GALLERY_BUCKET")).key("gallery.json"),
                    RequestBody.fromFile(gallery));
            writeEnv(dir.resolve("video-splitting.env"), samples.get(SPLITTER), buckets, splitting, Map.of(
                    "AWS_LAMBDA_RUNTIME_API", splitter.address(),
                    "AWS_LAMBDA_FUNCTION_NAME", "video-splitting",
                    "AWS_ENDPOINT_URL_LAMBDA", invoke.url().toString()));
            writeEnv(dir.resolve("face-recognition.env"), samples.get(RECOGNISER), buckets, recognising, Map.of(
                    "AWS_LAMBDA_RUNTIME_API", recogniser.address(),
                    "AWS_LAMBDA_FUNCTION_NAME", "face-recognition",
                    "GALLERY_URI", "s3://" + buckets.get("GALLERY_BUCKET") + "/gallery.json"));
            Files.writeString(dir.resolve("ready"), "ready\n");
            // <function>.polled when its init is done: the caller starts the containers one at a time, so that each
            // init has the cores to itself, as each function has its own on Lambda.
            for (LambdaRuntimeApi function : List.of(splitter, recogniser)) {
                function.firstPoll().thenRun(() -> mark(dir.resolve(function.functionName() + ".polled")));
            }

            long splitterReady = epochMillis(splitter.firstPoll().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            long recogniserReady = epochMillis(recogniser.firstPoll().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            String key = video.getFileName().toString();
            long uploaded = System.nanoTime();
            upload.upload(event -> timed(splitter, event, splitMs), s3, key);
            String outcome = awaitOutcome(s3, buckets.get("OUTPUT_BUCKET"), ObjectKeys.outcomeKey(key));
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("splitter_first_poll_epoch_ms", splitterReady);
            line.put("recogniser_first_poll_epoch_ms", recogniserReady);
            line.put("split_invoke_ms", splitMs.get());
            line.put("recognise_invoke_ms", recogniseMs.get());
            line.put("upload_to_outcome_ms", (System.nanoTime() - uploaded) / 1_000_000);
            line.put("video", key);
            line.put("outcome", outcome);
            line.put("expected", expected);
            Files.writeString(dir.resolve("result.json"), Json.MAPPER.writeValueAsString(line));
            // The containers' runtimes end when their Runtime API goes: held until the caller has read their cgroups.
            awaitFile(dir.resolve("done"), PATIENCE);
            return expected.equals(outcome);
        }
    }

    /** Queues {@code event} on {@code runtime}; {@code millis} gets the time to its answer. */
    private static void timed(LambdaRuntimeApi runtime, String event, AtomicLong millis) {
        long start = System.nanoTime();
        CompletableFuture<LambdaRuntimeApi.Outcome> answered = runtime.invoke(event.getBytes(StandardCharsets.UTF_8),
                INVOCATION_TIMEOUT);
        answered.whenComplete((outcome, failure) -> {
            millis.set((System.nanoTime() - start) / 1_000_000);
            if (outcome != null && !outcome.success()) {
                System.err.println("invocation failed: " + outcome.errorType() + ": " + outcome.body());
            }
        });
    }

    /** The function's variables as the template names them, with this run's buckets and the environment's own. */
    private static void writeEnv(Path file, JsonNode sample, Map<String, String> buckets, Map<String, String> aws,
                                 Map<String, String> own) throws IOException {
        Map<String, String> env = new TreeMap<>();
        sample.properties().forEach(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        buckets.forEach((name, bucket) -> env.computeIfPresent(name, (k, v) -> bucket));
        env.putAll(aws);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.putAll(own);
        StringBuilder text = new StringBuilder();
        env.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        Files.writeString(file, text);
    }

    private static String awaitOutcome(S3Client s3, String bucket, String key) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
            } catch (NoSuchKeyException e) {
                Thread.sleep(200);
            }
        }
        return "no outcome after " + PATIENCE.toSeconds() + " s";
    }

    private static void awaitFile(Path file, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** A {@link System#nanoTime()} reading as epoch milliseconds. */
    private static long epochMillis(long nanoTime) {
        return System.currentTimeMillis() - (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static void mark(Path file) {
        try {
            Files.writeString(file, "polled\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
