package dev.facerec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * One job per input, at most {@code workers} at once, each answer printed in input order as soon as it and those
 * before it are ready. A job that throws, even an {@link Error}, still gets its answer, the failure's: one bad file
 * never ends the batch.
 */
final class Batch {
    /** An input's line on stdout, and whether it is a failure (exit status 1). */
    record Answer(String line, boolean failed) {
    }

    @FunctionalInterface
    interface Job {
        Answer run(Path input) throws Exception;
    }

    private Batch() {
    }

    /** True when any input failed. */
    static boolean run(List<Path> inputs, int workers, Job job, BiFunction<Path, Throwable, Answer> failure,
                       BatchProgress progress) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (Path input : inputs) {
                answers.add(pool.submit(() -> {
                    try {
                        return job.run(input);
                    } catch (Exception | Error e) {
                        return failure.apply(input, e);
                    }
                }));
            }
            boolean anyFailed = false;
            for (Future<Answer> future : answers) {
                Answer answer = answerOf(future);
                anyFailed |= answer.failed();
                progress.answer(answer.line());
            }
            return anyFailed;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Answer answerOf(Future<Answer> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // Only the failure function can throw here: a bug, not an input's problem.
            throw new IllegalStateException("cannot describe an input's failure", e.getCause());
        }
    }
}
