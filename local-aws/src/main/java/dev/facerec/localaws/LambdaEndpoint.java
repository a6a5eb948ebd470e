package dev.facerec.localaws;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.facerec.common.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's Invoke API on a loopback port, for one function, where the splitter's SDK client sends its asynchronous
 * invoke: {@code POST /2015-03-31/functions/{name}/invocations} with {@code X-Amz-Invocation-Type: Event} queues the
 * payload and answers 202 at once, as Lambda does. Each request is served on a thread of its own pool and must arrive
 * whole within the read timeout, at most {@link #MAX_PAYLOAD_BYTES} (Lambda's limit for an async payload): a client
 * that stalls mid-request holds one thread for that long and delays nobody else, so the splitter's invoke is answered
 * before its SDK gives up and sends it again.
 */
public final class LambdaEndpoint implements AutoCloseable {
    /** Lambda's limit for an asynchronous invocation's payload. */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    /** Well under the SDK's 10 s attempt timeout (AwsClients), so a stalled request never costs a retried invoke. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final int THREADS = 4;
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {
    };

    private final HttpServer server;
    private final ExecutorService requests = Executors.newFixedThreadPool(THREADS, Daemons.named("invoke"));
    private final ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(Daemons.named("invoke-timeout"));
    private final Duration readTimeout;
    private final String functionName;
    private final Consumer<Map<String, Object>> function;

    /**
     * Serves {@code functionName}'s Invoke: each accepted payload goes to {@code function}, which queues it (a
     * RejectedExecutionException there answers 503: the stack is stopping).
     */
    public LambdaEndpoint(String functionName, Consumer<Map<String, Object>> function) throws IOException {
        this(functionName, function, new InetSocketAddress(InetAddress.getByName(S3MockServer.LOOPBACK), 0),
                READ_TIMEOUT);
    }

    /** Listening on {@code address}: the host's, for a function running in a container. */
    public LambdaEndpoint(String functionName, Consumer<Map<String, Object>> function, InetSocketAddress address)
            throws IOException {
        this(functionName, function, address, READ_TIMEOUT);
    }

    public LambdaEndpoint(String functionName, Consumer<Map<String, Object>> function, InetSocketAddress address,
                          Duration readTimeout) throws IOException {
        this.functionName = functionName;
        this.function = function;
        this.readTimeout = readTimeout;
        server = HttpServer.create(address, 16);
        server.createContext("/", this::invoke);
        server.setExecutor(requests);
        server.start();
    }

    /** Where this process reaches it: loopback when it listens on every address. */
    public URI url() {
        return S3MockServer.urlOf(server.getAddress());
    }

    private void invoke(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try {
                body = readBody(exchange);
            } catch (IOException e) {
                return; // too slow (the watchdog dropped it) or gone: no connection left to answer on
            }
            if (body == null) {
                error(exchange, 413, "RequestTooLargeException", "the payload is over " + MAX_PAYLOAD_BYTES
                        + " bytes, Lambda's limit for an asynchronous invocation");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Matcher invoke = INVOKE.matcher(path);
            if (!"POST".equals(exchange.getRequestMethod()) || !invoke.matches()) {
                error(exchange, 404, "UnknownOperationException", "only Invoke is served here, not "
                        + exchange.getRequestMethod() + " " + path);
                return;
            }
            String name = functionName(invoke.group(1));
            if (!name.equals(functionName)) {
                error(exchange, 404, "ResourceNotFoundException", "Function not found: " + name);
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            if (!"Event".equals(type)) {
                error(exchange, 400, "InvalidParameterValueException", "faas local runs " + name
                        + " asynchronously only (X-Amz-Invocation-Type: Event), not " + type);
                return;
            }
            JsonNode payload;
            try {
                payload = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                payload = null;
            }
            if (payload == null || !payload.isObject()) {
                error(exchange, 400, "InvalidRequestContentException", "the payload is not a JSON object");
                return;
            }
            try {
                function.accept(Json.MAPPER.convertValue(payload, PAYLOAD));
            } catch (RejectedExecutionException e) {
                error(exchange, 503, "ServiceException", "faas local is stopping");
                return;
            }
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(202, -1);
        }
    }

    /**
     * The request body, or null when it is over the limit. Closing the exchange before any answer drops the
     * connection, which ends a read that is still waiting: that is the read timeout.
     */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > MAX_PAYLOAD_BYTES) {
            return null;
        }
        ScheduledFuture<?> timeout = watchdog.schedule(exchange::close, readTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            byte[] body = exchange.getRequestBody().readNBytes(MAX_PAYLOAD_BYTES + 1);
            return body.length > MAX_PAYLOAD_BYTES ? null : body;
        } finally {
            timeout.cancel(false);
        }
    }

    /** The function a reference names: {@code name}, {@code name:qualifier} or an ARN ending so. */
    private static String functionName(String reference) {
        int at = reference.lastIndexOf("function:");
        String rest = at < 0 ? reference : reference.substring(at + "function:".length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("Type", "User", "message", message));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Amzn-ErrorType", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        requests.shutdownNow();
        watchdog.shutdownNow();
    }
}
