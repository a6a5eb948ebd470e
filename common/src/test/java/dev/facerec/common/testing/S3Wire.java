package dev.facerec.common.testing;

import dev.facerec.common.Env;
import dev.facerec.common.aws.AwsSettings;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * and a way for a thread to hold its first PUT: to make writers that run at once all read before any of them writes.
 *
 * <p>PUTs of one key go to S3 one at a time. S3 evaluates a conditional write atomically; S3Mock 4.12.4 checks
 * {@code If-Match}/{@code If-None-Match} and then stores, in two steps, so that 8 PUTs with {@code If-None-Match: *}
 * sent at the same moment all succeed. Taking them in turn gives S3's answer: one 200, seven 412.
 */
public final class S3Wire implements ExecutionInterceptor {
    private final Queue<String> exchanges = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Runnable> beforeFirstPut = new ThreadLocal<>();
    private final Map<String, ReentrantLock> puts = new ConcurrentHashMap<>();

    /** A client of S3Mock on {@code s3Port} whose requests go through {@code wire}. */
    public static S3Client client(int s3Port, S3Wire wire) {
        AwsSettings settings = AwsSettings.from(new Env(TestAws.environment(s3Port, null)));
        return S3Client.builder().region(settings.region()).credentialsProvider(settings.credentials())
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(settings.s3Endpoint().orElseThrow())
                .forcePathStyle(true).overrideConfiguration(c -> c.addExecutionInterceptor(wire)).build();
    }

    /** Runs {@code hold} on the calling thread just before its next PUT is sent, once. */
    public void holdFirstPut(Runnable hold) {
        beforeFirstPut.set(hold);
    }

    /** Every exchange so far, in the order answered: {@code METHOD /bucket/key STATUS}. */
    public List<String> exchanges() {
        return List.copyOf(exchanges);
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
