package dev.facerec.localaws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 endpoint users talk to. Every request goes on to S3Mock as it came (signature, checksums, aws-chunked bodies
 * untouched, bodies streamed both ways); S3Mock sends no notifications, so a successful PutObject, CopyObject or
 * CompleteMultipartUpload into the watched bucket is announced here, as S3 would announce it. Buckets are addressed
 * path-style, as {@code --endpoint-url} clients do.
 */
public final class S3Front implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Front.class);
    // Hop-by-hop headers, and those the JDK client sets itself from the body it is given.
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "date");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(Daemons.named("s3-front"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong sequence = new AtomicLong();

    /** On loopback; takes the port now, so that a port in use fails before anything slow starts. */
    public S3Front(int port) throws IOException {
        this(new InetSocketAddress(InetAddress.getByName(S3MockServer.LOOPBACK), port));
    }

    /** On {@code address} (a container reaches the host's, not its loopback); the port is taken now. */
    public S3Front(InetSocketAddress address) throws IOException {
        server = HttpServer.create(address, 64);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Serves from now on: requests go to {@code backend}; objects created in {@code watched} go to the listener. */
    public void start(URI backend, String watched, Consumer<ObjectCreated> listener) {
        server.createContext("/", exchange -> forward(exchange, backend, watched, listener));
        server.setExecutor(threads);
        server.start();
    }

    private void forward(HttpExchange exchange, URI backend, String watched, Consumer<ObjectCreated> listener)
            throws IOException {
        URI uri = exchange.getRequestURI();
        try (exchange) {
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            HttpRequest.Builder request = HttpRequest.newBuilder(backend.resolve(target))
                    .method(exchange.getRequestMethod(), body(exchange));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), BodyHandlers.ofInputStream());
            } catch (IOException e) {
                LOG.warn("S3Mock did not answer {} {}: {}", exchange.getRequestMethod(), target, e.toString());
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            int status = response.statusCode();
            if (status == 200) {
                // Announced before the client hears back: an upload that was acknowledged is never left unannounced,
                // even when the front stops right after.
                eventName(exchange, watched).flatMap(name -> describe(exchange, backend, watched, name))
                        .ifPresent(listener);
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            if (head && length >= 0) {
                // The JDK server sends no body for HEAD and leaves a Content-Length set here as it is.
                exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            }
            boolean noBody = head || length == 0 || status == 204 || status == 304;
            // For sendResponseHeaders, -1 means no body and 0 means chunked (length unknown).
            exchange.sendResponseHeaders(status, noBody ? -1 : Math.max(length, 0));
            try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private static BodyPublisher body(HttpExchange exchange) {
        if (exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            return BodyPublishers.ofInputStream(exchange::getRequestBody);
        }
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = declared == null ? 0 : Long.parseLong(declared.trim());
        return length == 0 ? BodyPublishers.noBody()
                : BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(exchange::getRequestBody), length);
    }

    /** The S3 event name of a request that created an object in the watched bucket; empty for any other request. */
    private static Optional<String> eventName(HttpExchange exchange, String watched) {
        String path = exchange.getRequestURI().getPath();
        String prefix = "/" + watched + "/";
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return Optional.empty();
        }
        String query = exchange.getRequestURI().getRawQuery();
        // x-id only names the operation (the SDKs add it); any other parameter is a subresource (?tagging, ?acl,
        // ?partNumber&uploadId...), which creates no object.
        Set<String> parameters = query == null ? Set.of() : Arrays.stream(query.split("&"))
                .map(p -> p.split("=", 2)[0]).filter(p -> !p.isEmpty() && !p.equals("x-id"))
                .collect(Collectors.toSet());
        String method = exchange.getRequestMethod();
        if ("PUT".equals(method) && parameters.isEmpty()) {
            return Optional.of(exchange.getRequestHeaders().containsKey("x-amz-copy-source")
                    ? "ObjectCreated:Copy" : "ObjectCreated:Put");
        }
        if ("POST".equals(method) && parameters.equals(Set.of("uploadId"))) {
            return Optional.of("ObjectCreated:CompleteMultipartUpload");
        }
        return Optional.empty();
    }

    /** The size and ETag of the object just created, from S3Mock, for the event. */
    private Optional<ObjectCreated> describe(HttpExchange exchange, URI backend, String bucket, String eventName) {
        URI uri = exchange.getRequestURI();
        try {
            HttpResponse<Void> head = client.send(HttpRequest.newBuilder(backend.resolve(uri.getRawPath()))
                    .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.discarding());
            if (head.statusCode() != 200) {
                LOG.warn("{} no longer there (HTTP {}): no event sent", uri.getPath(), head.statusCode());
                return Optional.empty();
            }
            return Optional.of(new ObjectCreated(eventName, bucket,
                    uri.getPath().substring(bucket.length() + 2),
                    head.headers().firstValueAsLong("content-length").orElse(0),
                    head.headers().firstValue("etag").orElse("").replace("\"", ""),
                    String.format(Locale.ROOT, "%016X", sequence.incrementAndGet()),
                    exchange.getRemoteAddress().getAddress().getHostAddress(),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        } catch (IOException e) {
            LOG.warn("cannot describe {} for its event: {}", uri.getPath(), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Stops at once. A request cut short was not acknowledged, and its client says so; what was acknowledged had
     * already been announced.
     */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
