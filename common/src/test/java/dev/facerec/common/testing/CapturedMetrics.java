package dev.facerec.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.metrics.EmfMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The EMF documents that metrics made by {@link #metrics(String)} write, kept instead of logged; each is checked
 * against the specification ({@link EmfSpec}) when read. Cleared before each test. Register it with
 * {@code @RegisterExtension}.
 */
public final class CapturedMetrics implements BeforeEachCallback {
    public static final String NAMESPACE = "FaasTest";
    public static final String SERVICE = "faas-test";

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        lines.clear();
    }

    /** Metrics of {@code stage}, as a function would have them, written here. */
    public EmfMetrics metrics(String stage) {
        return new EmfMetrics(NAMESPACE, SERVICE, stage, lines::add);
    }

    /** Every document written so far, in order, each one conforming to the specification. */
    public List<JsonNode> documents() {
        return lines.stream().map(EmfSpec::parse).toList();
    }

    /** The documents that define the metric {@code name}. */
    public List<JsonNode> documentsOf(String name) {
        return documents().stream().filter(document -> definesMetric(document, name)).toList();
    }

    /** The values of metric {@code name} in all documents, in order (an array's values one by one). */
    public List<Double> values(String name) {
        List<Double> values = new ArrayList<>();
        for (JsonNode document : documentsOf(name)) {
            JsonNode value = document.get(name);
            if (value.isArray()) {
                value.forEach(element -> values.add(element.asDouble()));
            } else {
                values.add(value.asDouble());
            }
        }
        return values;
    }

    private static boolean definesMetric(JsonNode document, String name) {
        for (JsonNode directive : document.at("/_aws/CloudWatchMetrics")) {
            for (JsonNode definition : directive.path("Metrics")) {
                if (name.equals(definition.path("Name").asText())) {
                    return true;
                }
            }
        }
        return false;
    }
}
