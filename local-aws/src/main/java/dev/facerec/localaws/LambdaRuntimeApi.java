package dev.facerec.localaws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API of one execution environment, on loopback: what {@code AWS_LAMBDA_RUNTIME_API} points the
 * runtime interface client at. It hands out queued events on {@code GET /2018-06-01/runtime/invocation/next} (a long
 * poll, as Lambda's) with the headers Lambda sends, and records the function's answer to each
 * ({@code .../invocation/{id}/response} or {@code /error}) and any {@code /runtime/init/error}.
 */
public final class LambdaRuntimeApi implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime";
    private static final Pattern ANSWER = Pattern.compile(BASE + "/invocation/([^/]+)/(response|error)");

    /** How the function answered one invocation: its response, or its error and the error type it named. */
    public record Outcome(boolean success, String body, String errorType) {
    }

    private record Invocation(String requestId, byte[] event, Duration timeout, CompletableFuture<Outcome> outcome) {
    }

    private final String functionName;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Invocation> queued = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstPoll = new CompletableFuture<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private volatile boolean closed;

    public LambdaRuntimeApi(String functionName) {
        this.functionName = functionName;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // One thread per request: /next blocks until an event is queued.
        server.setExecutor(threads);
        server.createContext(BASE + "/invocation/next", this::next);
        server.createContext(BASE + "/invocation/", this::answer);
        server.createContext(BASE + "/init/error", exchange -> {
            initError.complete(describe(exchange));
            reply(exchange, 202, "{\"status\":\"OK\"}");
        });
        server.createContext("/", exchange -> reply(exchange, 404, "{\"errorMessage\":\"unknown path\"}"));
        server.start();
    }

    /** {@code host:port}, as AWS_LAMBDA_RUNTIME_API holds it. */
    public String functionName() {
        return functionName;
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Completes with {@link System#nanoTime()} of the first poll for an event: the runtime's init is over. */
    public CompletableFuture<Long> firstPoll() {
        return firstPoll;
    }

    /** Completes with what the runtime reported to /init/error (error type header, then body). */
    public CompletableFuture<String> initError() {
        return initError;
    }

    /** Queues an event, raw bytes as Lambda delivers them; the future completes when the function answers. */
    public CompletableFuture<Outcome> invoke(byte[] event, Duration timeout) {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event, timeout,
                new CompletableFuture<>());
        queued.add(invocation);
        return invocation.outcome();
    }

    private void next(HttpExchange exchange) throws IOException {
        firstPoll.complete(System.nanoTime());
        Invocation invocation = null;
        try {
            while (invocation == null && !closed) {
                invocation = queued.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            exchange.close();
            return;
        }
        inFlight.put(invocation.requestId(), invocation);
        long deadline = System.currentTimeMillis() + invocation.timeout().toMillis();
        var headers = exchange.getResponseHeaders();
        headers.add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:123456789012:function:" + functionName);
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(deadline / 1000) + "-"
                + invocation.requestId().replace("-", "").substring(0, 24) + ";Parent=0000000000000001;Sampled=0");
        headers.add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, invocation.event().length);
        exchange.getResponseBody().write(invocation.event());
        exchange.close();
    }

    private void answer(HttpExchange exchange) throws IOException {
        Matcher path = ANSWER.matcher(exchange.getRequestURI().getPath());
        Invocation invocation = path.matches() ? inFlight.remove(path.group(1)) : null;
        if (invocation == null || !exchange.getRequestMethod().equals("POST")) {
            reply(exchange, 400, "{\"errorMessage\":\"no such invocation\"}");
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        invocation.outcome().complete(new Outcome(path.group(2).equals("response"), body,
                exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type")));
        reply(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static String describe(HttpExchange exchange) throws IOException {
        return exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type") + ": "
                + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
