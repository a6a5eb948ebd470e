package dev.facerec.localaws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.Env;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * first polls' epoch milliseconds, each invocation's duration, the outcome. Exit status 0 when the outcome is the one expected.
 *
 * <p>Usage: {@code Rehearsal DIR SAMPLES_ENV_JSON GALLERY_JSON VIDEO EXPECTED_NAME}
 */
public final class Rehearsal {
    private static final String REGION = "us-east-1";
    private static final String SPLITTER = "VideoSplittingFunction";
    private static final String RECOGNISER = "FaceRecognitionFunction";
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(30);

    private Rehearsal() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: Rehearsal DIR SAMPLES_ENV_JSON GALLERY_JSON VIDEO EXPECTED_NAME");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        JsonNode samples = Json.MAPPER.readTree(Files.readString(Path.of(args[1])));
        Path gallery = Path.of(args[2]);
        Path video = Path.of(args[3]);
        String expected = args[4];
        Map<String, String> buckets = Map.of("INPUT_BUCKET", "rehearsal-input", "STAGE_BUCKET", "rehearsal-stage",
                "OUTPUT_BUCKET", "rehearsal-output", "GALLERY_BUCKET", "rehearsal-gallery");
        Path data = Files.createDirectories(dir.resolve("s3"));
        try (S3MockServer s3mock = S3MockServer.start(data, List.of(buckets.get("INPUT_BUCKET"),
                buckets.get("STAGE_BUCKET"), buckets.get("OUTPUT_BUCKET"), buckets.get("GALLERY_BUCKET")));
             LambdaRuntimeApi splitter = new LambdaRuntimeApi("video-splitting");
             LambdaRuntimeApi recogniser = new LambdaRuntimeApi("face-recognition");
             S3Front front = new S3Front(0)) {
            Map<String, String> aws = Map.of("AWS_REGION", REGION, "AWS_DEFAULT_REGION", REGION,
                    "AWS_ACCESS_KEY_ID", "rehearsal", "AWS_SECRET_ACCESS_KEY", "rehearsal",
                    "AWS_ENDPOINT_URL_S3", s3mock.url().toString());
            AtomicLong recogniseMs = new AtomicLong(-1);
            try (S3Client s3 = AwsClients.s3(AwsSettings.from(new Env(aws)));
                 LambdaEndpoint invoke = new LambdaEndpoint("face-recognition", payload -> timed(recogniser,
                         Json.MAPPER.valueToTree(payload).toString(), recogniseMs))) {
                s3.putObject(b -> b.bucket(buckets.get("GALLERY_BUCKET")).key("gallery.json"),
                        RequestBody.fromFile(gallery));
                AtomicLong splitMs = new AtomicLong(-1);
                front.start(s3mock.url(), buckets.get("INPUT_BUCKET"),
                        created -> timed(splitter, created.toNotificationJson(REGION), splitMs));

                Map<String, String> common = new TreeMap<>(aws);
                common.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
                writeEnv(dir.resolve("video-splitting.env"), samples.get(SPLITTER), buckets, common, Map.of(
                        "AWS_LAMBDA_RUNTIME_API", splitter.address(),
                        "AWS_LAMBDA_FUNCTION_NAME", "video-splitting",
                        "AWS_ENDPOINT_URL_LAMBDA", invoke.url().toString()));
                writeEnv(dir.resolve("face-recognition.env"), samples.get(RECOGNISER), buckets, common, Map.of(
                        "AWS_LAMBDA_RUNTIME_API", recogniser.address(),
                        "AWS_LAMBDA_FUNCTION_NAME", "face-recognition",
                        "GALLERY_URI", "s3://" + buckets.get("GALLERY_BUCKET") + "/gallery.json"));
                Files.writeString(dir.resolve("ready"), "ready\n");

                long splitterReady = epochMillis(splitter.firstPoll().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
                long recogniserReady = epochMillis(recogniser.firstPoll().get(PATIENCE.toSeconds(),
                        TimeUnit.SECONDS));
                String key = video.getFileName().toString();
                Map<String, String> frontEnv = new TreeMap<>(aws);
                frontEnv.put("AWS_ENDPOINT_URL_S3", "http://" + S3MockServer.LOOPBACK + ":" + front.port());
                long uploaded = System.nanoTime();
                try (S3Client user = AwsClients.s3(AwsSettings.from(new Env(frontEnv)))) {
                    user.putObject(b -> b.bucket(buckets.get("INPUT_BUCKET")).key(key), RequestBody.fromFile(video));
                }
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
                System.exit(expected.equals(outcome) ? 0 : 1);
            }
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
    private static void writeEnv(Path file, JsonNode sample, Map<String, String> buckets, Map<String, String> common,
                                 Map<String, String> own) throws IOException {
        Map<String, String> env = new TreeMap<>();
        sample.properties().forEach(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        buckets.forEach((name, bucket) -> env.computeIfPresent(name, (k, v) -> bucket));
        env.putAll(common);
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

    /** A {@link System#nanoTime()} reading as epoch milliseconds. */
    private static long epochMillis(long nanoTime) {
        return System.currentTimeMillis() - (System.nanoTime() - nanoTime) / 1_000_000;
    }
}
