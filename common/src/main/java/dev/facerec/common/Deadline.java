package dev.facerec.common;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When an invocation must stop working on a video so that it can still write the video's outcome before Lambda's
 * timeout ends it: Lambda kills a function that runs out of time without a word, and the video would end with no
 * outcome at all.
 */
public final class Deadline {
    /** Kept back from Lambda's remaining time: enough to write an Error outcome (two small PUTs, with retries). */
    public static final Duration RESERVE = Duration.ofSeconds(3);
    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, Duration.ZERO, System::nanoTime);

    private final long atNanos;
    private final Duration budget;
    private final LongSupplier nanoClock;

    private Deadline(long atNanos, Duration budget, LongSupplier nanoClock) {
        this.atNanos = atNanos;
        this.budget = budget;
        this.nanoClock = nanoClock;
    }

    /** No limit: the CLI, and callers without a Lambda context. */
    public static Deadline none() {
        return NONE;
    }

    /** {@code remaining} from now, less {@link #RESERVE}: pass Lambda's {@code getRemainingTimeInMillis()}. */
    public static Deadline ofRemaining(Duration remaining) {
        return ofRemaining(remaining, System::nanoTime);
    }

    /** The same on another clock of nanoseconds than {@link System#nanoTime}: a test's, which moves when told. */
    public static Deadline ofRemaining(Duration remaining, LongSupplier nanoClock) {
        Duration budget = remaining.minus(RESERVE);
        if (budget.isNegative()) {
            budget = Duration.ZERO;
        }
        return new Deadline(nanoClock.getAsLong() + budget.toNanos(), budget, nanoClock);
    }

    /** The same deadline {@code margin} sooner: when to stop starting new work that takes up to that to finish. */
    public Deadline sooner(Duration margin) {
        if (this == NONE) {
            return NONE;
        }
        Duration left = budget.minus(margin);
        return new Deadline(atNanos - margin.toNanos(), left.isNegative() ? Duration.ZERO : left, nanoClock);
    }

    public boolean hasPassed() {
        return this != NONE && nanoClock.getAsLong() - atNanos >= 0;
    }

    /** What the Error outcome says when the deadline passed. */
    public String explanation() {
        return "stopped after " + budget.toMillis() + " ms, the time this invocation had left less "
                + RESERVE.toMillis() + " ms kept to write this outcome; raise the function's Timeout for such videos";
    }
}
