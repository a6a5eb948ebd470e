package dev.facerec.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checker itself: a document as the specification shows one passes, and each breach of it is caught. */
class EmfSpecTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** In the shape of the specification's own example. */
    static final String VALID = """
            {"_aws": {"Timestamp": 1574109732004, "CloudWatchMetrics": [{"Namespace": "lambda-function-metrics",
              "Dimensions": [["functionVersion"]], "Metrics": [{"Name": "time", "Unit": "Milliseconds",
              "StorageResolution": 60}]}]}, "functionVersion": "$LATEST", "time": 100, "requestId": "989ffbf8"}
            """.replace("\n", " ").strip();

    @Test
    void aDocumentShapedAsTheSpecificationsExampleConforms() {
        assertThat(EmfSpec.violations(VALID)).isEmpty();
        assertThat(EmfSpec.parse(VALID).path("time").asInt()).isEqualTo(100);
    }

    static Stream<Arguments> breaches() {
        return Stream.of(
                breach("no _aws", root -> root.remove("_aws"), "no _aws metadata object"),
                breach("no Timestamp", root -> aws(root).remove("Timestamp"), "_aws.Timestamp"),
                breach("a Timestamp as text", root -> aws(root).put("Timestamp", "2026-12-02T06:00:00Z"),
                        "_aws.Timestamp"),
                breach("no CloudWatchMetrics", root -> aws(root).remove("CloudWatchMetrics"), "CloudWatchMetrics"),
                breach("no Namespace", root -> directive(root).remove("Namespace"), ".Namespace"),
                breach("a Namespace of 256 characters", root -> directive(root).put("Namespace", "n".repeat(256)),
                        ".Namespace"),
                breach("no Dimensions", root -> directive(root).remove("Dimensions"), ".Dimensions"),
                breach("a DimensionSet that is a string", root -> ((ArrayNode) directive(root).get("Dimensions"))
                        .set(0, JSON.getNodeFactory().textNode("functionVersion")), "not an array of dimension keys"),
                breach("a dimension not in the root", root -> root.remove("functionVersion"),
                        "'functionVersion' is not a dimension value"),
                breach("a dimension value that is a number", root -> root.put("functionVersion", 7),
                        "'functionVersion' is not a dimension value"),
                breach("a dimension value of 1025 characters", root -> root.put("functionVersion", "v".repeat(1025)),
                        "'functionVersion' is not a dimension value"),
                breach("31 dimensions in a set", root -> {
                    ArrayNode set = ((ArrayNode) directive(root).get("Dimensions")).addArray();
                    for (int i = 0; i < 31; i++) {
                        set.add("d" + i);
                        root.put("d" + i, "x");
                    }
                }, "31 dimension keys, more than 30"),
                breach("no Metrics", root -> directive(root).remove("Metrics"), ".Metrics"),
                breach("101 metrics in a directive", root -> {
                    ArrayNode metrics = (ArrayNode) directive(root).get("Metrics");
                    for (int i = 0; i < 100; i++) {
                        metrics.addObject().put("Name", "m" + i);
                        root.put("m" + i, i);
                    }
                }, "101 MetricDefinitions, more than 100"),
                breach("a metric without Name", root -> definition(root).remove("Name"), ".Name"),
                breach("a metric not in the root", root -> root.remove("time"), "no root member 'time'"),
                breach("a metric value as text", root -> root.put("time", "100"), "'time' is not a number"),
                breach("101 values of a metric", root -> {
                    ArrayNode values = root.putArray("time");
                    for (int i = 0; i < 101; i++) {
                        values.add(i);
                    }
                }, "101 values, more than 100"),
                breach("a value in an array as text", root -> root.putArray("time").add(1).add("2"),
                        "a value that is not a number"),
                breach("an unknown unit", root -> definition(root).put("Unit", "Frames"), ".Unit"),
                breach("a StorageResolution of 5", root -> definition(root).put("StorageResolution", 5),
                        ".StorageResolution"),
                breach("a member a MetricDirective does not have", root -> directive(root).put("Service", "x"),
                        "does not define: Service"),
                breach("a member a MetricDefinition does not have", root -> definition(root).put("Value", 1),
                        "does not define: Value"),
                breach("a document larger than a log event", root -> root.put("padding", "p".repeat(256 * 1024)),
                        "larger than"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breaches")
    void eachBreachOfTheSpecificationIsFound(String breach, Consumer<ObjectNode> change, String expected)
            throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(VALID);
        change.accept(root);
        String document = JSON.writeValueAsString(root);
        assertThat(EmfSpec.violations(document)).as(breach).anyMatch(violation -> violation.contains(expected));
        assertThatThrownBy(() -> EmfSpec.parse(document)).isInstanceOf(AssertionError.class);
    }

    @Test
    void aLogLineWithTextAroundTheDocumentIsNotOne() {
        assertThat(EmfSpec.violations("INFO " + VALID)).anyMatch(v -> v.startsWith("not one JSON value alone"));
        assertThat(EmfSpec.violations(VALID + " trailing")).anyMatch(v -> v.startsWith("not one JSON value alone"));
        assertThat(EmfSpec.violations("[" + VALID + "]")).containsExactly("the root is not a JSON object");
    }

    private static Arguments breach(String name, Consumer<ObjectNode> change, String expected) {
        return Arguments.of(name, change, expected);
    }

    private static ObjectNode aws(ObjectNode root) {
        return (ObjectNode) root.get("_aws");
    }

    private static ObjectNode directive(ObjectNode root) {
        return (ObjectNode) aws(root).get("CloudWatchMetrics").get(0);
    }

    private static ObjectNode definition(ObjectNode root) {
        return (ObjectNode) directive(root).get("Metrics").get(0);
    }
}
