package dev.facerec.common.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facerec.common.ConfigException;
import dev.facerec.common.Env;
import dev.facerec.common.Json;
import dev.facerec.common.Outcome;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A function's CloudWatch metrics, written as Embedded Metric Format documents: one JSON object per line on stdout,
 * beside the JSON log lines, from which CloudWatch Logs extracts the metrics. Every document has the dimensions
 * {@code Service} (METRICS_SERVICE) and {@code Stage} (the function). Off, writing nothing, when METRICS_NAMESPACE is
 * not set, as in {@code faas local}.
 */
public final class EmfMetrics {
    public static final String SERVICE = "Service";
    public static final String STAGE = "Stage";
    public static final String OUTCOME = "Outcome";
    /** The {@code Outcome} of a video that named a person: names would be a metric each, and are in the logs. */
    public static final String NAMED = "Named";
    /** The specification's limit on the values of one metric in one document. */
    static final int MAX_VALUES = 100;
    // CloudWatch's namespaces and dimension values: ASCII without control characters; a namespace may not start with
    // ':', and AWS/ is AWS's own.
    private static final Pattern NAMESPACE = Pattern.compile("(?!:|AWS/)[\\x20-\\x7E]{1,255}");
    private static final Pattern DIMENSION_VALUE = Pattern.compile("[\\x20-\\x7E]{1,1024}");

    private final String namespace;
    private final String service;
    private final String stage;
    /** Where each document goes, as one line; null when off. */
    private final Consumer<String> sink;

    /** Metrics of {@code stage} in {@code namespace}, each document given to {@code sink}. */
    public EmfMetrics(String namespace, String service, String stage, Consumer<String> sink) {
        this.namespace = namespace;
        this.service = service;
        this.stage = stage;
        this.sink = sink;
    }

    /** Metrics that write nothing. */
    public static EmfMetrics off() {
        return new EmfMetrics(null, null, null, null);
    }

    /**
     * From METRICS_NAMESPACE and METRICS_SERVICE: both set, or neither (metrics off). A value CloudWatch would refuse
     * fails the init with the variable named, rather than every document being dropped later.
     */
    public static EmfMetrics fromEnvironment(Env env, String stage) {
        Optional<String> namespace = env.optional("METRICS_NAMESPACE");
        Optional<String> service = env.optional("METRICS_SERVICE");
        if (namespace.isEmpty()) {
            service.ifPresent(value -> {
                throw new ConfigException("METRICS_SERVICE", "is set but METRICS_NAMESPACE is not: set both, or "
                        + "neither for no metrics");
            });
            return off();
        }
        if (!NAMESPACE.matcher(namespace.get()).matches()) {
            throw new ConfigException("METRICS_NAMESPACE", "must be 1 to 255 ASCII characters, not starting with ':' "
                    + "or 'AWS/', got '" + namespace.get() + "'");
        }
        String name = service.orElseThrow(() -> new ConfigException("METRICS_SERVICE",
                "is not set: it is the Service dimension of the metrics in METRICS_NAMESPACE"));
        if (!DIMENSION_VALUE.matcher(name).matches()) {
            throw new ConfigException("METRICS_SERVICE", "must be 1 to 1024 ASCII characters, got '" + name + "'");
        }
        // Straight to stdout, not through Log4j: CloudWatch takes an event as a document only when it is the document
        // alone, and the layout that would print a message alone (a second appender) costs the init its classes.
        // The RIC's System.out and Log4j's console appender are one PrintStream: lines never interleave.
        return new EmfMetrics(namespace.get(), name, stage, System.out::println);
    }

    /** A new document with the dimensions Service and Stage, for the metrics added to it. */
    public Document document() {
        return new Document(List.of(List.of(SERVICE, STAGE)), Map.of());
    }

    /** ColdStart, 1: the first invocation of this container. */
    public void coldStart() {
        document().count("ColdStart", 1).emit();
    }

    /**
     * Outcomes, 1, for a video's outcome as written ({@link #NAMED} for a person's name), by Outcome, and by Outcome
     * and Stage, which for an Error is the stage that failed.
     */
    public void outcome(String outcome) {
        String kind = Outcome.isReserved(outcome) ? outcome : NAMED;
        new Document(List.of(List.of(SERVICE, OUTCOME), List.of(SERVICE, STAGE, OUTCOME)), Map.of(OUTCOME, kind))
                .count("Outcomes", 1).emit();
    }

    /** The metrics of one document, written by {@link #emit()}. */
    public final class Document {
        private final List<List<String>> dimensionSets;
        private final Map<String, String> dimensions;
        private final Map<String, Metric> metrics = new LinkedHashMap<>();

        private record Metric(String unit, List<Double> values) {
        }

        private Document(List<List<String>> dimensionSets, Map<String, String> dimensions) {
            this.dimensionSets = dimensionSets;
            this.dimensions = dimensions;
        }

        public Document milliseconds(String name, double value) {
            return add(name, "Milliseconds", List.of(value));
        }

        public Document count(String name, double value) {
            return add(name, "Count", List.of(value));
        }

        /** One value per item (per frame, say): CloudWatch takes each as a sample. */
        public Document counts(String name, Collection<? extends Number> values) {
            return add(name, "Count", values.stream().map(Number::doubleValue).toList());
        }

        private Document add(String name, String unit, List<Double> values) {
            if (!values.isEmpty()) {
                metrics.put(name, new Metric(unit, values));
            }
            return this;
        }

        /** Writes the document; more than one when a metric has more values than one document may hold. */
        public void emit() {
            if (sink == null || metrics.isEmpty()) {
                return;
            }
            int most = metrics.values().stream().mapToInt(metric -> metric.values().size()).max().orElseThrow();
            for (int from = 0; from < most; from += MAX_VALUES) {
                sink.accept(write(from));
            }
        }

        /** The document of each metric's values from index {@code from}, at most {@link #MAX_VALUES} of them. */
        private String write(int from) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            ObjectNode aws = root.putObject("_aws");
            aws.put("Timestamp", System.currentTimeMillis());
            ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
            directive.put("Namespace", namespace);
            ArrayNode sets = directive.putArray("Dimensions");
            dimensionSets.forEach(set -> set.forEach(sets.addArray()::add));
            ArrayNode definitions = directive.putArray("Metrics");
            root.put(SERVICE, service);
            root.put(STAGE, stage);
            dimensions.forEach(root::put);
            metrics.forEach((name, metric) -> {
                List<Double> values = metric.values();
                if (from >= values.size()) {
                    return;
                }
                definitions.addObject().put("Name", name).put("Unit", metric.unit());
                List<Double> part = new ArrayList<>(values.subList(from, Math.min(values.size(), from + MAX_VALUES)));
                if (part.size() == 1) {
                    root.put(name, part.get(0));
                } else {
                    part.forEach(root.putArray(name)::add);
                }
            });
            try {
                return Json.MAPPER.writeValueAsString(root);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e); // a tree of strings and numbers always writes
            }
        }
    }
}
