package dev.facerec.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.common.ConfigException;
import dev.facerec.common.Env;
import dev.facerec.common.Outcome;
import dev.facerec.common.testing.CapturedMetrics;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmfMetricsTest {
    @RegisterExtension
    final CapturedMetrics captured = new CapturedMetrics();

    @Test
    void aDocumentCarriesItsNamespaceDimensionsUnitsAndValues() {
        long before = System.currentTimeMillis();
        captured.metrics("video-splitting").document().count("FramesPerVideo", 3).milliseconds("TotalTime", 12.5)
                .emit();

        JsonNode document = captured.documents().get(0);
        assertThat(captured.documents()).hasSize(1);
        assertThat(document.at("/_aws/Timestamp").asLong()).isBetween(before, System.currentTimeMillis());
        JsonNode directive = document.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.path("Namespace").asText()).isEqualTo(CapturedMetrics.NAMESPACE);
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Service\",\"Stage\"]]");
        assertThat(directive.path("Metrics").toString()).isEqualTo(
                "[{\"Name\":\"FramesPerVideo\",\"Unit\":\"Count\"},{\"Name\":\"TotalTime\",\"Unit\":\"Milliseconds\"}]");
        assertThat(document.path("Service").asText()).isEqualTo(CapturedMetrics.SERVICE);
        assertThat(document.path("Stage").asText()).isEqualTo("video-splitting");
        assertThat(document.path("FramesPerVideo").asDouble()).isEqualTo(3);
        assertThat(document.path("TotalTime").asDouble()).isEqualTo(12.5);
    }

    @ParameterizedTest
    @CsvSource({"Obama, Named", "Unknown, Unknown", "NoFace, NoFace", "Error, Error"})
    void anOutcomeIsCountedByItsKindAndByKindAndStage(String outcome, String kind) {
        captured.metrics("face-recognition").outcome(outcome);

        JsonNode document = captured.documents().get(0);
        assertThat(document.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"Service\",\"Outcome\"],[\"Service\",\"Stage\",\"Outcome\"]]");
        assertThat(document.path("Outcome").asText()).isEqualTo(kind);
        assertThat(document.path("Stage").asText()).isEqualTo("face-recognition");
        assertThat(captured.values("Outcomes")).containsExactly(1.0);
        assertThat(document.toString()).as("no person's name in a metric").doesNotContain("Obama");
    }

    @Test
    void aColdStartIsOneCount() {
        captured.metrics("video-splitting").coldStart();

        assertThat(captured.values("ColdStart")).containsExactly(1.0);
        assertThat(captured.documentsOf("ColdStart").get(0).at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText())
                .isEqualTo("Count");
    }

    @Test
    void moreValuesThanADocumentHoldsAreSpreadOverSeveralInOrder() {
        List<Integer> faces = IntStream.range(0, 250).map(i -> i % 7).boxed().toList();
        captured.metrics("face-recognition").document().counts("FacesPerFrame", faces)
                .milliseconds("TotalTime", 80).emit();

        // Each document conforms (at most 100 values of a metric); together they hold every value once.
        assertThat(captured.documents()).hasSize(3);
        assertThat(captured.values("FacesPerFrame")).containsExactlyElementsOf(
                faces.stream().map(Integer::doubleValue).toList());
        assertThat(captured.values("TotalTime")).containsExactly(80.0);
        assertThat(captured.documents().get(2).path("FacesPerFrame")).hasSize(50);
    }

    @Test
    void aDocumentWithoutMetricsIsNotWritten() {
        captured.metrics("face-recognition").document().counts("FacesPerFrame", List.of()).emit();

        assertThat(captured.documents()).isEmpty();
    }

    @Test
    void withoutANamespaceNothingIsWritten() {
        EmfMetrics off = EmfMetrics.fromEnvironment(new Env(Map.of()), "video-splitting");
        off.coldStart();
        off.outcome(Outcome.ERROR);
        off.document().count("FramesPerVideo", 1).emit();

        // Off has no sink to write to: neither the log nor anything else gets a line.
        assertThat(off).extracting("sink").isNull();
        assertThat(EmfMetrics.off()).extracting("sink").isNull();
    }

    @Test
    void bothVariablesSetGiveMetricsOfThatNamespaceAndService() {
        EmfMetrics metrics = EmfMetrics.fromEnvironment(new Env(Map.of("METRICS_NAMESPACE", "FaasFaceRecognition",
                "METRICS_SERVICE", "my-stack")), "face-recognition");

        assertThat(metrics).extracting("namespace", "service", "stage")
                .containsExactly("FaasFaceRecognition", "my-stack", "face-recognition");
        assertThat(metrics).extracting("sink").isNotNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|my-stack|METRICS_SERVICE is set but METRICS_NAMESPACE is not",
            "Faas|''|METRICS_SERVICE is not set",
            "AWS/Lambda|my-stack|METRICS_NAMESPACE must be 1 to 255 ASCII characters",
            ":Faas|my-stack|METRICS_NAMESPACE must be 1 to 255 ASCII characters",
            "Faas\u00e9|my-stack|METRICS_NAMESPACE must be 1 to 255 ASCII characters",
            "Faas|st\u00e4ck|METRICS_SERVICE must be 1 to 1024 ASCII characters"})
    void aSettingCloudWatchWouldRefuseFailsNamingTheVariable(String namespace, String service, String message) {
        Env env = new Env(Map.of("METRICS_NAMESPACE", namespace, "METRICS_SERVICE", service));

        assertThatThrownBy(() -> EmfMetrics.fromEnvironment(env, "video-splitting"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }

    @Test
    void aNamespaceOf255CharactersIsAccepted() {
        Env env = new Env(Map.of("METRICS_NAMESPACE", "N".repeat(255), "METRICS_SERVICE", "s"));
        assertThat(EmfMetrics.fromEnvironment(env, "video-splitting")).extracting("namespace")
                .isEqualTo("N".repeat(255));
        Env tooLong = new Env(Map.of("METRICS_NAMESPACE", "N".repeat(256), "METRICS_SERVICE", "s"));
        assertThatThrownBy(() -> EmfMetrics.fromEnvironment(tooLong, "video-splitting"))
                .hasMessageStartingWith("METRICS_NAMESPACE must be");
    }
}
