package dev.facerec.recognition.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A loopback HTTP proxy in front of S3Mock that injects the failures real S3 shows: 500 InternalError, 503 SlowDown
 * and dropped connections for a share of requests (drawn from a seeded Random, so a run is repeatable), or 403
 * AccessDenied for one key. Everything else is forwarded as it came and answered as S3Mock answered.
 */
final class FaultyS3Proxy implements AutoCloseable {
    /** The failures injected, in the order a fault's kind is drawn. */
    enum Fault { INTERNAL_ERROR, SLOW_DOWN, DROP }

    // Hop-by-hop headers, plus those java.net.http sets itself and refuses from callers.
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
            "expect", "date");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final Random random;
    private volatile double faultRate;
    private volatile String deniedPath;
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger[] injected = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    private final AtomicInteger denied = new AtomicInteger();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<String, String> beforeForwarding = (method, path) -> { };

    FaultyS3Proxy(int s3Port, long seed) {
        this.target = URI.create("http://127.0.0.1:" + s3Port);
        this.random = new Random(seed);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Share of requests (0..1) answered with a transient fault instead of being forwarded. */
    void faultRate(double rate) {
        this.faultRate = rate;
    }

    /** Answers 403 AccessDenied to every request for {@code bucket/key}; null to stop. */
    void deny(String bucket, String key) {
        this.deniedPath = bucket == null ? null : "/" + bucket + "/" + key;
    }

    int injected(Fault fault) {
        return injected[fault.ordinal()].get();
    }

    int injectedTotal() {
        return injected(Fault.INTERNAL_ERROR) + injected(Fault.SLOW_DOWN) + injected(Fault.DROP);
    }

    int denied() {
        return denied.get();
    }

    int forwarded() {
        return forwarded.get();
    }

    /** The requests forwarded since the last {@link #clearLog()}, as {@code "METHOD /bucket/key"}. */
    List<String> log() {
        return List.copyOf(log);
    }

    void clearLog() {
        log.clear();
    }

    /** The writes (PUT, POST) among {@link #log()}: what a delivery changed in S3. */
    List<String> writes() {
        return log.stream().filter(request -> request.startsWith("PUT ") || request.startsWith("POST ")).toList();
    }

    /** As started: no faults, no denied key, no action before forwarding, an empty log (the counters go on). */
    void calm() {
        faultRate(0);
        deny(null, null);
        beforeForwarding((method, path) -> { });
        clearLog();
    }

    /** Runs {@code action(method, "/bucket/key")} before each request is forwarded: a test's way to act mid-flight. */
    void beforeForwarding(BiConsumer<String, String> action) {
        this.beforeForwarding = action;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = URLDecoder.decode(exchange.getRequestURI().getRawPath().replace("+", "%2B"),
                    StandardCharsets.UTF_8);
            if (path.equals(deniedPath)) {
                denied.incrementAndGet();
                error(exchange, 403, "AccessDenied", "Access Denied");
                return;
            }
            Fault fault = draw();
            if (fault != null) {
                injected[fault.ordinal()].incrementAndGet();
                switch (fault) {
                    case INTERNAL_ERROR -> error(exchange, 500, "InternalError",
                            "We encountered an internal error. Please try again.");
                    case SLOW_DOWN -> error(exchange, 503, "SlowDown", "Please reduce your request rate.");
                    // Closing before any response is sent makes the server drop the connection.
                    case DROP -> { }
                }
                return;
            }
            beforeForwarding.accept(exchange.getRequestMethod(), path);
            forward(exchange, body, path);
        }
    }

    private Fault draw() {
        synchronized (random) { // one draw sequence, whatever thread serves the request
            if (faultRate <= 0 || random.nextDouble() >= faultRate) {
                return null;
            }
            return Fault.values()[random.nextInt(Fault.values().length)];
        }
    }

    private void forward(HttpExchange exchange, byte[] body, String path) throws IOException {
        String method = exchange.getRequestMethod();
        URI uri = target.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method,
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        forwarded.incrementAndGet();
        // Logged before the answer goes back: once the caller has its answer, the request is in the log.
        log.add(method + " " + path);
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] reply = response.body();
        boolean head = method.equalsIgnoreCase("HEAD");
        if (head) {
            // A HEAD answer has no body, but its Content-Length is the object's size, which the SDK reads.
            response.headers().firstValue("content-length")
                    .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
        }
        // -1: no body; the server would take 0 as "chunked".
        exchange.sendResponseHeaders(response.statusCode(), head || reply.length == 0 ? -1 : reply.length);
        if (!head && reply.length > 0) {
            exchange.getResponseBody().write(reply);
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>faulty-proxy</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.getResponseHeaders().set("x-amz-request-id", "faulty-proxy");
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : xml.length);
        if (!head) {
            exchange.getResponseBody().write(xml);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
