package dev.facerec.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far a batch has got, told on stderr while the answers go to stdout, which carries nothing else. Made by
 * {@link ProgressOption}.
 */
interface BatchProgress extends AutoCloseable {
    /** Prints an input's answer on stdout and counts the input done. */
    void answer(String line);

    /** Counts an input done that has no line to print. */
    void step();

    @Override
    void close();

    /** {@code --quiet}, or a batch of one: the answers alone. */
    record Silent(PrintWriter stdout) implements BatchProgress {
        @Override
        public void answer(String line) {
            stdout.println(line);
            stdout.flush();
        }

        @Override
        public void step() {
        }

        @Override
        public void close() {
        }
    }

    /** stderr is a file or a pipe (a log, CI): a plain line at each tenth of the batch, and at its end. */
    final class Lines implements BatchProgress {
        private final String task;
        private final int total;
        private final int every;
        private final PrintWriter stdout;
        private final PrintWriter stderr;
        private int done;

        Lines(String task, int total, PrintWriter stdout, PrintWriter stderr) {
            this.task = task;
            this.total = total;
            this.every = (total + 9) / 10;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public void answer(String line) {
            stdout.println(line);
            stdout.flush();
            step();
        }

        @Override
        public void step() {
            done++;
            if (done % every == 0 || done == total) {
                stderr.println(task + ": " + done + " of " + total + " done");
                stderr.flush();
            }
        }

        @Override
        public void close() {
        }
    }

    /**
     * stderr is a terminal: progressbar's bar on its last line. When stdout is the same terminal, an answer would be
     * written over the bar, so the bar is wiped before each answer and drawn again after it.
     */
    final class Bar implements BatchProgress {
        private final PrintWriter stdout;
        private final ProgressBarConsumer line;
        private final ProgressBar bar;

        Bar(String task, int total, PrintWriter stdout, TerminalWriter terminal) {
            this.stdout = stdout;
            // One lock for the bar's own refreshes (its timer thread) and for the answers printed in its place.
            this.line = new DelegatingProgressBarConsumer(rendered -> {
                synchronized (this) {
                    terminal.print('\r' + rendered);
                    terminal.flush();
                }
            }, terminal.columns() - 1);
            this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.UNICODE_BLOCK).setConsumer(line).clearDisplayOnFinish().build();
        }

        @Override
        public synchronized void answer(String answer) {
            line.clear();
            stdout.println(answer);
            stdout.flush();
            step();
        }

        @Override
        public synchronized void step() {
            bar.step();
            bar.refresh();
        }

        @Override
        public void close() {
            bar.close();
            // progressbar wipes its line itself, unless the batch ended before its first refresh.
            line.clear();
        }
    }
}
