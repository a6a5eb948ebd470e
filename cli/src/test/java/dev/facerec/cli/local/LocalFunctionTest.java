package dev.facerec.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A function of {@code faas local} whose handler dies of an Error: each attempt is a step, as on Lambda a retry. */
class LocalFunctionTest {
    /** Hears the steps. */
    private static final class Steps implements LocalStack.Listener {
        final List<LocalStack.Step> steps = new CopyOnWriteArrayList<>();

        @Override
        public void step(LocalStack.Step step) {
            steps.add(step);
        }

        @Override
        public void note(String message) {
            // Notes come only while a stack stops: none here.
        }

        List<String> outcomes() {
            return steps.stream().map(LocalStack.Step::outcome).toList();
        }
    }

    /** A real OutOfMemoryError from the JVM: an array larger than it will make, refused without a byte allocated. */
    private static byte[] tooLargeAnArray() {
        return new byte[Integer.MAX_VALUE];
    }

    private static LocalFunction<String> function(RequestHandler<String, Void> handler, Steps listener) {
        return new LocalFunction<>("video-splitting", 1, handler, video -> video, video -> "done", listener);
    }

    @Test
    void anOutOfMemoryErrorIsAFailedAttemptAndTheRetryRuns() {
        AtomicInteger calls = new AtomicInteger();
        Steps listener = new Steps();
        LocalFunction<String> function = function((video, context) -> {
            if (calls.incrementAndGet() == 1) {
                tooLargeAnArray();
            }
            return null;
        }, listener);

        function.invokeAsync("bomb.avi");

        assertThat(function.stop(Duration.ofMinutes(1))).as("drained").isTrue();
        assertThat(listener.outcomes()).hasSize(2);
        assertThat(listener.outcomes().get(0)).startsWith("failed (attempt 1 of 3): java.lang.OutOfMemoryError")
                .endsWith("; retrying in 1 s");
        assertThat(listener.outcomes().get(1)).isEqualTo("done");
        assertThat(listener.steps).allSatisfy(step -> assertThat(step.video()).isEqualTo("bomb.avi"));
    }

    @Test
    void anErrorOnEveryAttemptGivesUpAfterThreeAndTheWorkerGoesOnToTheNextVideo() {
        Steps listener = new Steps();
        LocalFunction<String> function = function((video, context) -> {
            if (video.equals("bomb.avi")) {
                tooLargeAnArray();
            }
            return null;
        }, listener);

        function.invokeAsync("bomb.avi");
        function.invokeAsync("next.mp4"); // queued behind it: one execution at a time

        assertThat(function.stop(Duration.ofMinutes(1))).as("drained").isTrue();
        assertThat(listener.steps).extracting(LocalStack.Step::video)
                .containsExactly("bomb.avi", "bomb.avi", "bomb.avi", "next.mp4");
        assertThat(listener.outcomes().get(2)).startsWith("failed (attempt 3 of 3): java.lang.OutOfMemoryError")
                .endsWith("; giving up");
        assertThat(listener.outcomes().get(3)).isEqualTo("done");
    }
}
