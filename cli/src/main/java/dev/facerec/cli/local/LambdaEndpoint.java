package dev.facerec.cli.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.facerec.common.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's Invoke API on a loopback port, for one function, where the splitter's SDK client sends its asynchronous
 * invoke: {@code POST /2015-03-31/functions/{name}/invocations} with {@code X-Amz-Invocation-Type: Event} queues the
 * payload and answers 202 at once, as Lambda does.
 */
final class LambdaEndpoint implements AutoCloseable {
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {
    };

    private final HttpServer server;

    LambdaEndpoint(LocalFunction<Map<String, Object>> function) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(S3MockServer.LOOPBACK), 0), 16);
        // Answering only queues work, so the server's own thread serves every request.
        server.createContext("/", exchange -> invoke(exchange, function));
        server.start();
    }

    URI url() {
        return URI.create("http://" + S3MockServer.LOOPBACK + ":" + server.getAddress().getPort());
    }

    private static void invoke(HttpExchange exchange, LocalFunction<Map<String, Object>> function)
            throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            Matcher invoke = INVOKE.matcher(path);
            if (!"POST".equals(exchange.getRequestMethod()) || !invoke.matches()) {
                error(exchange, 404, "UnknownOperationException", "only Invoke is served here, not "
                        + exchange.getRequestMethod() + " " + path);
                return;
            }
            String name = functionName(invoke.group(1));
            if (!name.equals(function.name())) {
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
                function.invokeAsync(Json.MAPPER.convertValue(payload, PAYLOAD));
            } catch (RejectedExecutionException e) {
                error(exchange, 503, "ServiceException", "faas local is stopping");
                return;
            }
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(202, -1);
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
    }
}
