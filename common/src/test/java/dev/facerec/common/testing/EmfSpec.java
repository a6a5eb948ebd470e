package dev.facerec.common.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * CloudWatch's Embedded Metric Format specification ("Specification: Embedded metric format", CloudWatch User Guide),
 * as a check of one log event: what it requires of the root node, the {@code _aws} metadata object, each
 * MetricDirective, DimensionSet and MetricDefinition, and the limits it sets. Written from the specification, not
 * from what EmfMetrics writes, so that it can tell EmfMetrics wrong.
 */
public final class EmfSpec {
    /** A log event's largest size; the specification has said 256 KB, and now says 1 MB: the smaller is kept. */
    static final int MAX_EVENT_BYTES = 256 * 1024;
    static final int MAX_METRICS_PER_DIRECTIVE = 100;
    static final int MAX_DIMENSIONS_PER_SET = 30;
    static final int MAX_VALUES_PER_METRIC = 100;
    /** The units CloudWatch's MetricDatum takes. */
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    /** The members a MetricDirective and a MetricDefinition may have: the spec's objects allow no others. */
    static final Set<String> DIRECTIVE_MEMBERS = Set.of("Namespace", "Dimensions", "Metrics");
    static final Set<String> DEFINITION_MEMBERS = Set.of("Name", "Unit", "StorageResolution");

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EmfSpec() {
    }

    /** The document of a log event that conforms; an AssertionError listing every violation otherwise. */
    public static JsonNode parse(String logEvent) {
        List<String> violations = violations(logEvent);
        if (!violations.isEmpty()) {
            throw new AssertionError("not an Embedded Metric Format document: " + violations + "\n" + logEvent);
        }
        try {
            return STRICT.readTree(logEvent);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** Everything in {@code logEvent} that the specification forbids or misses; empty when it conforms. */
    public static List<String> violations(String logEvent) {
        List<String> violations = new ArrayList<>();
        if (logEvent.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            violations.add("larger than " + MAX_EVENT_BYTES + " bytes");
        }
        JsonNode root;
        try {
            // The whole message is one JSON object: nothing before it or after it.
            root = STRICT.readTree(logEvent);
        } catch (JsonProcessingException e) {
            violations.add("not one JSON value alone: " + e.getOriginalMessage());
            return violations;
        }
        if (root == null || !root.isObject()) {
            violations.add("the root is not a JSON object");
            return violations;
        }
        JsonNode aws = root.get("_aws");
        if (aws == null || !aws.isObject()) {
            violations.add("no _aws metadata object");
            return violations;
        }
        JsonNode timestamp = aws.get("Timestamp");
        if (timestamp == null || !timestamp.isIntegralNumber() || timestamp.asLong() < 0) {
            violations.add("_aws.Timestamp is not a number of milliseconds since the epoch: " + timestamp);
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            violations.add("_aws.CloudWatchMetrics is not an array");
            return violations;
        }
        for (int i = 0; i < directives.size(); i++) {
            directive(root, directives.get(i), "_aws.CloudWatchMetrics[" + i + "]", violations);
        }
        return violations;
    }

    private static void directive(JsonNode root, JsonNode directive, String at, List<String> violations) {
        if (!isObjectOf(directive, DIRECTIVE_MEMBERS, at, violations)) {
            return;
        }
        JsonNode namespace = directive.get("Namespace");
        if (namespace == null || !namespace.isTextual() || namespace.asText().isEmpty()
                || namespace.asText().length() > 255) {
            violations.add(at + ".Namespace is not a string of 1 to 255 characters: " + namespace);
        }
        JsonNode sets = directive.get("Dimensions");
        if (sets == null || !sets.isArray()) {
            violations.add(at + ".Dimensions is not an array of DimensionSets");
        } else {
            for (int s = 0; s < sets.size(); s++) {
                dimensionSet(root, sets.get(s), at + ".Dimensions[" + s + "]", violations);
            }
        }
        JsonNode metrics = directive.get("Metrics");
        if (metrics == null || !metrics.isArray()) {
            violations.add(at + ".Metrics is not an array of MetricDefinitions");
            return;
        }
        if (metrics.size() > MAX_METRICS_PER_DIRECTIVE) {
            violations.add(at + ".Metrics has " + metrics.size() + " MetricDefinitions, more than "
                    + MAX_METRICS_PER_DIRECTIVE);
        }
        for (int m = 0; m < metrics.size(); m++) {
            definition(root, metrics.get(m), at + ".Metrics[" + m + "]", violations);
        }
    }

    private static void dimensionSet(JsonNode root, JsonNode set, String at, List<String> violations) {
        if (!set.isArray()) {
            violations.add(at + " is not an array of dimension keys");
            return;
        }
        if (set.size() > MAX_DIMENSIONS_PER_SET) {
            violations.add(at + " has " + set.size() + " dimension keys, more than " + MAX_DIMENSIONS_PER_SET);
        }
        for (JsonNode key : set) {
            if (!key.isTextual()) {
                violations.add(at + " holds a dimension key that is not a string: " + key);
                continue;
            }
            // Each key names a member of the root whose value is the dimension's: a string, 1 to 1024 characters.
            JsonNode value = root.get(key.asText());
            if (value == null || !value.isTextual() || value.asText().isBlank() || value.asText().length() > 1024) {
                violations.add(at + ": the root member '" + key.asText() + "' is not a dimension value (a string of "
                        + "1 to 1024 characters): " + value);
            }
        }
    }

    private static void definition(JsonNode root, JsonNode definition, String at, List<String> violations) {
        if (!isObjectOf(definition, DEFINITION_MEMBERS, at, violations)) {
            return;
        }
        JsonNode name = definition.get("Name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            violations.add(at + ".Name is not a string");
            return;
        }
        JsonNode unit = definition.get("Unit");
        if (unit != null && !(unit.isTextual() && UNITS.contains(unit.asText()))) {
            violations.add(at + ".Unit is not a CloudWatch unit: " + unit);
        }
        JsonNode resolution = definition.get("StorageResolution");
        if (resolution != null && !(resolution.isIntegralNumber()
                && (resolution.asInt() == 1 || resolution.asInt() == 60))) {
            violations.add(at + ".StorageResolution is neither 1 nor 60: " + resolution);
        }
        // The metric's values: a root member, a number or an array of at most 100 numbers.
        JsonNode value = root.get(name.asText());
        if (value == null) {
            violations.add(at + ": no root member '" + name.asText() + "' holds the metric's value");
        } else if (value.isArray()) {
            if (value.size() > MAX_VALUES_PER_METRIC) {
                violations.add(at + ": '" + name.asText() + "' has " + value.size() + " values, more than "
                        + MAX_VALUES_PER_METRIC);
            }
            value.forEach(element -> {
                if (!element.isNumber()) {
                    violations.add(at + ": '" + name.asText() + "' holds a value that is not a number: " + element);
                }
            });
        } else if (!value.isNumber()) {
            violations.add(at + ": '" + name.asText() + "' is not a number: " + value);
        }
    }

    /** Whether {@code node} is an object (a violation if not), each member outside {@code allowed} a violation. */
    private static boolean isObjectOf(JsonNode node, Set<String> allowed, String at, List<String> violations) {
        if (!node.isObject()) {
            violations.add(at + " is not an object");
            return false;
        }
        unknownMembers(node, allowed, at, violations);
        return true;
    }

    private static void unknownMembers(JsonNode object, Set<String> allowed, String at, List<String> violations) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                violations.add(at + " has a member the specification does not define: " + name);
            }
        }
    }
}
