package dev.facerec.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void missingVariableIsNamed() {
        assertThatThrownBy(() -> new Env(Map.of()).required("STAGE_BUCKET"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("STAGE_BUCKET is not set")
                .extracting(e -> ((ConfigException) e).variable()).isEqualTo("STAGE_BUCKET");
    }

    @Test
    void badBucketNameIsRefusedWithTheVariable() {
        Env env = new Env(Map.of("OUTPUT_BUCKET", "My_Bucket"));
        assertThatThrownBy(() -> env.bucket("OUTPUT_BUCKET"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("OUTPUT_BUCKET is not a valid S3 bucket name");
        assertThat(new Env(Map.of("OUTPUT_BUCKET", "faas-output-1")).bucket("OUTPUT_BUCKET"))
                .isEqualTo("faas-output-1");
    }

    @Test
    void numbersAndUrlsAreChecked() {
        Env env = new Env(Map.of("N", "-3", "X", "0.6", "U", "ftp://host", "BLANK", "  "));
        assertThatThrownBy(() -> env.positiveInt("N", 1)).hasMessageStartingWith("N must be a positive integer");
        assertThat(env.positiveDouble("X", 1)).isEqualTo(0.6);
        assertThat(env.positiveInt("ABSENT", 7)).isEqualTo(7);
        assertThatThrownBy(() -> env.optionalHttpUrl("U")).hasMessageStartingWith("U must be an http(s) URL");
        assertThat(env.optional("BLANK")).isEmpty();
    }
}
