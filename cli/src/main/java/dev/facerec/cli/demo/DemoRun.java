package dev.facerec.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.cli.local.LocalStack;
import dev.facerec.common.Json;
import dev.facerec.common.ObjectKeys;
import dev.facerec.common.Upload;
import dev.facerec.common.aws.Provenance;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.facerec.splitter.lambda.VideoSplitter;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The demo's videos through a running {@link LocalStack}, as a user would send them: each uploaded to the input bucket
 * through the S3 endpoint, then its outcome, record and frame read back from the output and stage-1 buckets once the
 * outcome carries this upload's ETag.
 */
public final class DemoRun implements LocalStack.Listener {
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * What became of one video: its outcome, its record, the frame the splitter chose and its time in the video (null
     * when the video was refused), and the time each step took.
     */
    public record Result(DemoScenario.Video video, String outcome, JsonNode record, byte[] frame, String frameTime,
                         long uploadToOutcomeMillis, List<LocalStack.Step> steps) {
        public boolean asExpected() {
            return video.expected().equals(outcome);
        }
    }

    /**
     * The record's {@code people} in one line: {@code name first-last s (N frames, best D)}, in order of first
     * appearance; empty for a video without a record of people (refused).
     */
    public static String timeline(Result result) {
        JsonNode people = result.record() == null ? null : result.record().get("people");
        if (people == null || !people.isArray()) {
            return "";
        }
        List<String> seen = new ArrayList<>();
        for (JsonNode person : people) {
            JsonNode best = person.get("best_distance");
            seen.add(String.format(Locale.ROOT, "%s %.1f-%.1f s (%d frame%s%s)", person.get("name").asText(),
                    person.get("first_seconds").asDouble(), person.get("last_seconds").asDouble(),
                    person.get("frames").asInt(), person.get("frames").asInt() == 1 ? "" : "s",
                    best == null || best.isNull() ? "" : String.format(Locale.ROOT, ", best %.2f", best.asDouble())));
        }
        return String.join("; ", seen);
    }

    private final Map<String, List<LocalStack.Step>> steps = new ConcurrentHashMap<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();

    @Override
    public void step(LocalStack.Step step) {
        steps.computeIfAbsent(step.video(), k -> new CopyOnWriteArrayList<>()).add(step);
    }

    @Override
    public void note(String message) {
        notes.add(message);
    }

    /** What the stack said besides steps (trouble while stopping). */
    public List<String> notes() {
        return notes;
    }

    /**
     * Uploads every video at once, then waits for each outcome, at most {@code patience} in all. A video with no
     * outcome in time gets the outcome "no outcome after N s".
     */
    public List<Result> run(LocalStack stack, List<DemoScenario.Video> videos, Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        try (S3Client s3 = stack.newClient()) {
            List<String> eTags = new ArrayList<>();
            List<Long> uploadedAt = new ArrayList<>();
            for (DemoScenario.Video video : videos) {
                uploadedAt.add(System.nanoTime());
                eTags.add(Upload.plain(s3.putObject(b -> b.bucket(stack.inputBucket()).key(video.name()),
                        RequestBody.fromFile(video.file())).eTag()));
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < videos.size(); i++) {
                results.add(await(s3, stack, videos.get(i), eTags.get(i), uploadedAt.get(i), deadline, patience));
            }
            return results;
        }
    }

    private Result await(S3Client s3, LocalStack stack, DemoScenario.Video video, String eTag, long uploadedAt,
                         long deadline, Duration patience) throws IOException {
        String outcomeKey = ObjectKeys.outcomeKey(video.name());
        while (!outcomeOf(s3, stack.outputBucket(), outcomeKey, eTag)) {
            if (System.nanoTime() > deadline) {
                return new Result(video, "no outcome after " + patience.toSeconds() + " s", null, null, null, -1,
                        steps.getOrDefault(video.name(), List.of()));
            }
            sleep();
        }
        long millis = (System.nanoTime() - uploadedAt) / 1_000_000;
        String outcome = s3.getObjectAsBytes(b -> b.bucket(stack.outputBucket()).key(outcomeKey)).asUtf8String();
        JsonNode record = Json.MAPPER.readTree(s3.getObjectAsBytes(b -> b.bucket(stack.outputBucket())
                .key(ObjectKeys.recordKey(video.name()))).asByteArrayUnsafe());
        ResponseBytes<GetObjectResponse> frame = frame(s3, stack.stageBucket(), ObjectKeys.frameKey(video.name()));
        // A video with a frame ends in the recogniser; a refused one in the splitter.
        awaitStep(video.name(), frame != null ? LocalStack.RECOGNITION_FUNCTION : LocalStack.SPLITTING_FUNCTION,
                deadline);
        return new Result(video, outcome, record, frame == null ? null : frame.asByteArray(),
                frame == null ? null : frame.response().metadata().get(VideoSplitter.FRAME_TIME), millis,
                steps.getOrDefault(video.name(), List.of()));
    }

    private static boolean outcomeOf(S3Client s3, String bucket, String key, String eTag) {
        Optional<Map<String, String>> metadata = Provenance.metadata(s3, bucket, key);
        return metadata.isPresent() && new Upload(eTag, null).sameBytes(metadata.get().get(Provenance.SOURCE_ETAG));
    }

    /** The step of the function that wrote the outcome is told just after the write: wait for it a little. */
    private void awaitStep(String video, String function, long deadline) {
        while (steps.getOrDefault(video, List.of()).stream().noneMatch(s -> s.function().equals(function))
                && System.nanoTime() < deadline) {
            sleep();
        }
    }

    private static ResponseBytes<GetObjectResponse> frame(S3Client s3, String bucket, String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the outcomes", e);
        }
    }
}
