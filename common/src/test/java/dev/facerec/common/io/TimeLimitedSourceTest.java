package dev.facerec.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.common.Deadline;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeLimitedSourceTest {

    /** A source of {@code size} zero bytes, each read taking {@code perRead}: a slow store. */
    record SlowSource(long size, Duration perRead) implements RandomAccessSource {
        @Override
        public int read(long position, byte[] buffer, int offset, int length) {
            try {
                Thread.sleep(perRead.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return position >= size ? -1 : (int) Math.min(length, size - position);
        }

        @Override
        public long bytesFetched() {
            return 0;
        }

        @Override
        public String description() {
            return "slow";
        }
    }

    @Test
    void readsStopWithAClearReasonOnceTheDeadlineHasPassed() {
        Deadline deadline = Deadline.ofRemaining(Deadline.RESERVE.plusMillis(200));
        TimeLimitedSource source = new TimeLimitedSource(new SlowSource(1 << 30, Duration.ofMillis(20)), deadline);
        byte[] buffer = new byte[1024];
        long start = System.nanoTime();
        int[] reads = {0};

        assertThatThrownBy(() -> {
            for (long position = 0; ; position += buffer.length) {
                source.read(position, buffer, 0, buffer.length);
                reads[0]++;
            }
        }).isInstanceOfSatisfying(SourceReadException.class,
                e -> assertThat(e.kind()).isEqualTo(SourceReadException.Kind.PERMANENT))
                .hasMessageStartingWith("stopped after 200 ms");

        assertThat(reads[0]).as("reads served before the deadline").isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void noDeadlineNeverStops() throws Exception {
        TimeLimitedSource source = new TimeLimitedSource(new SlowSource(10, Duration.ZERO), Deadline.none());
        assertThat(source.read(0, new byte[10], 0, 10)).isEqualTo(10);
        assertThat(Deadline.none().hasPassed()).isFalse();
    }
}
