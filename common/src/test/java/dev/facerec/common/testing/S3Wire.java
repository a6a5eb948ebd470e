package dev.facerec.common.testing;

import dev.facerec.common.aws.AwsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What an S3 client sends and what S3 answers, request by request as it goes over HTTP ({@code PUT /bucket/key 412}),
 * and a way to run writers at once so that all of them have read before any of them writes.
 *
 * <p>PUTs of one key go to S3 one at a time. S3 evaluates a conditional write atomically; S3Mock 4.12.4 checks
 * {@code If-Match}/{@code If-None-Match} and then stores, in two steps, so that 8 PUTs with {@code If-None-Match: *}
 * sent at the same moment all succeed. Taking them in turn gives S3's answer: one 200, seven 412.
 */
public final class S3Wire implements ExecutionInterceptor {
    /** Long enough for any run; it only keeps a broken test from hanging. */
    private static final long HANG_GUARD_SECONDS = 120;
    private final Queue<String> exchanges = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Runnable> beforeFirstPut = new ThreadLocal<>();
    private final Map<String, ReentrantLock> puts = new ConcurrentHashMap<>();

    /** A client of the S3 that {@code settings} name, whose requests go through this wire. */
    public S3Client client(AwsSettings settings) {
        return S3Client.builder().region(settings.region()).credentialsProvider(settings.credentials())
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(settings.s3Endpoint().orElseThrow())
                .forcePathStyle(true).overrideConfiguration(c -> c.addExecutionInterceptor(this)).build();
    }

    /**
     * Runs every task on its own thread, at once, each holding its first PUT through this wire until every task has
     * come to its own: all have read before any writes. Their results in order, or the first failure thrown.
     */
    public <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
        return run(tasks, false);
    }

    /** {@link #atOnce}, but once all have read, each task's first PUT waits until the task before it has finished. */
    public <T> List<T> atOnceWritingInTurn(List<Callable<T>> tasks) throws Exception {
        return run(tasks, true);
    }

    private <T> List<T> run(List<Callable<T>> tasks, boolean inTurn) throws Exception {
        CyclicBarrier allHaveRead = new CyclicBarrier(tasks.size());
        List<CountDownLatch> finished = tasks.stream().map(task -> new CountDownLatch(1)).toList();
        List<Callable<T>> held = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            int turn = i;
            held.add(() -> {
                beforeFirstPut.set(() -> {
                    await(allHaveRead);
                    if (inTurn && turn > 0) {
                        await(finished.get(turn - 1));
                    }
                });
                try {
                    return tasks.get(turn).call();
                } finally {
                    beforeFirstPut.remove();
                    finished.get(turn).countDown();
                }
            });
        }
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> result : threads.invokeAll(held)) {
                results.add(result.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("the tasks did not all come to their first write", e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the task before did not finish");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many times {@code METHOD /bucket/key} was answered {@code status}. */
    public long count(String request, int status) {
        return exchanges.stream().filter((request + " " + status)::equals).count();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (context.httpRequest().method() != SdkHttpMethod.PUT) {
            return;
        }
        Runnable hold = beforeFirstPut.get();
        if (hold != null) {
            beforeFirstPut.remove();
            hold.run();
        }
        ReentrantLock turn = puts.computeIfAbsent(context.httpRequest().encodedPath(), path -> new ReentrantLock());
        if (!turn.isHeldByCurrentThread()) { // held already when the SDK retries an attempt that got no answer
            turn.lock();
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        exchanges.add(context.httpRequest().method() + " " + context.httpRequest().encodedPath() + " "
                + context.httpResponse().statusCode());
        release(context.httpRequest());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        context.httpRequest().ifPresent(this::release);
    }

    private void release(SdkHttpRequest request) {
        ReentrantLock turn = puts.get(request.encodedPath());
        if (request.method() == SdkHttpMethod.PUT && turn != null && turn.isHeldByCurrentThread()) {
            turn.unlock();
        }
    }
}
