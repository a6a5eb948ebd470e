package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch is never ended by one input: whatever its job throws, every input gets its line, in input order. */
class BatchTest {
    private static final List<Path> INPUTS = List.of(Path.of("a.mp4"), Path.of("b.mp4"), Path.of("c.mp4"),
            Path.of("d.mp4"));

    @Test
    void anInputWhoseJobThrowsARuntimeExceptionOrAnErrorStillGetsItsLine() throws Exception {
        StringWriter stdout = new StringWriter();

        boolean anyFailed = Batch.run(INPUTS, 2, input -> switch (input.toString()) {
            case "b.mp4" -> throw new IllegalStateException("no frame of " + input);
            case "c.mp4" -> throw new StackOverflowError();
            default -> new Batch.Answer(input + "\tok", false);
        }, (input, failure) -> new Batch.Answer(input + "\tError: " + Failures.describe(failure), true),
                new BatchProgress.Silent(new PrintWriter(stdout)));

        assertThat(anyFailed).isTrue();
        assertThat(stdout.toString().lines()).containsExactly("a.mp4\tok",
                "b.mp4\tError: IllegalStateException: no frame of b.mp4", "c.mp4\tError: StackOverflowError",
                "d.mp4\tok");
    }

    @Test
    void aBatchWithoutFailuresSaysSo() throws Exception {
        StringWriter stdout = new StringWriter();

        boolean anyFailed = Batch.run(INPUTS, 3, input -> new Batch.Answer(input + "\tok", false),
                (input, failure) -> new Batch.Answer(input + "\tError", true),
                new BatchProgress.Silent(new PrintWriter(stdout)));

        assertThat(anyFailed).isFalse();
        assertThat(stdout.toString().lines()).hasSize(INPUTS.size());
    }
}
