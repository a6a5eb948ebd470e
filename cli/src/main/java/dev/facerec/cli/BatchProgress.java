package dev.facerec.cli;

import java.io.PrintWriter;

/** Where a batch's answers go: stdout, which carries nothing else. */
interface BatchProgress extends AutoCloseable {
    /** Prints an input's answer on stdout and counts the input done. */
    void answer(String line);

    @Override
    void close();

    /** The answers alone. */
    record Silent(PrintWriter stdout) implements BatchProgress {
        @Override
        public void answer(String line) {
            stdout.println(line);
            stdout.flush();
        }

        @Override
        public void close() {
        }
    }
}
