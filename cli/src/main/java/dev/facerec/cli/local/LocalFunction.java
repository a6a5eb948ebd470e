package dev.facerec.cli.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.facerec.localaws.Daemons;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A function invoked the way Lambda runs asynchronous invocations (S3 notifications, Invoke with type Event): queued,
 * run by a fixed number of concurrent executions, never on the caller's thread, and tried up to three times when the
 * handler throws, an Error included. Each attempt is reported as a {@link LocalStack.Step}: video, stage, milliseconds, outcome. It counts
 * how busy it got, so
 * that a burst can show its concurrency held and its invocations queued.
 */
final class LocalFunction<E> {
    private static final int ATTEMPTS = 3; // Lambda's async invocations: the first try and two retries

    private final String name;
    private final RequestHandler<E, ?> handler;
    private final Function<E, String> video;
    private final Function<E, String> outcome;
    private final LocalStack.Listener listener;
    private final ExecutorService executions;
    private final AtomicInteger pending = new AtomicInteger(); // invoked and not finished: queued or running
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peakPending = new AtomicInteger();
    private final AtomicInteger peakRunning = new AtomicInteger();

    /**
     * @param video   the video an event is about, for the step line
     * @param outcome what the handler left behind for that video, read after it returns
     */
    LocalFunction(String name, int concurrency, RequestHandler<E, ?> handler, Function<E, String> video,
                  Function<E, String> outcome, LocalStack.Listener listener) {
        this.name = name;
        this.handler = handler;
        this.video = video;
        this.outcome = outcome;
        this.listener = listener;
        this.executions = Executors.newFixedThreadPool(concurrency, Daemons.named(name));
    }

    String name() {
        return name;
    }

    void invokeAsync(E event) {
        peakPending.accumulateAndGet(pending.incrementAndGet(), Math::max);
        executions.execute(() -> {
            peakRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                run(event);
            } finally {
                running.decrementAndGet();
                pending.decrementAndGet();
            }
        });
    }

    /** The most executions that ran at once, and the most invocations running or queued at once. */
    LocalStack.Load load() {
        return new LocalStack.Load(peakRunning.get(), peakPending.get());
    }

    private void run(E event) {
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            try {
                // No Context: the handlers read only its request id, for their logs.
                handler.handleRequest(event, null);
                step(event, start, describe(event));
                return;
            } catch (RuntimeException | Error e) {
                // An Error too (out of memory above all): on Lambda it fails the invocation, which is retried like
                // any other failure; here it must not end the worker without a word.
                boolean retry = attempt < ATTEMPTS;
                step(event, start, "failed (attempt " + attempt + " of " + ATTEMPTS + "): " + e
                        + (retry ? "; retrying in " + attempt + " s" : "; giving up"));
                if (!retry) {
                    return;
                }
            }
            try {
                // Lambda waits a minute, then two; a laptop need not.
                Thread.sleep(attempt * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String describe(E event) {
        try {
            return outcome.apply(event);
        } catch (RuntimeException e) {
            return "done (outcome not readable: " + e + ")";
        }
    }

    private void step(E event, long startNanos, String what) {
        listener.step(new LocalStack.Step(video.apply(event), name, (System.nanoTime() - startNanos) / 1_000_000, what));
    }

    /**
     * Takes no more invocations and lets those queued or running finish within {@code wait}; returns false if some
     * had to be abandoned.
     */
    boolean stop(Duration wait) {
        executions.shutdown();
        try {
            if (executions.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executions.shutdownNow();
        return false;
    }
}
