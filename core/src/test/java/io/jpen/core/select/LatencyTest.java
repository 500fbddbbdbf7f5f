package io.jpen.core.select;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixed-bucket latency record: quantiles of the last minute, counts since the start. */
class LatencyTest {
    private static final long MS = 1_000_000;

    @Test
    void theLastMinuteForgetsOlderDurationsWhileTheTotalsKeepThem() {
        Latency l = new Latency();
        long t0 = 1_000_000_000L;
        for (int i = 0; i < 99; i++) l.record(t0, MS / 2); // 0.5 ms
        l.record(t0, 40 * MS); // one slow connect
        long[] minute = l.lastMinute(t0 + 30_000);
        assertThat(Latency.count(minute)).isEqualTo(100);
        assertThat(Latency.quantileMillis(minute, 0.5)).isBetween(0.25, 0.5);
        assertThat(Latency.quantileMillis(minute, 0.99)).isBetween(0.25, 0.5);
        assertThat(Latency.quantileMillis(minute, 0.999)).isBetween(25.0, 50.0);

        // a minute later the slot has rolled out of the window; a new duration reuses it
        assertThat(Latency.count(l.lastMinute(t0 + 70_000))).isZero();
        l.record(t0 + 60_000, 3 * MS);
        assertThat(Latency.count(l.lastMinute(t0 + 60_000))).isEqualTo(1);
        assertThat(Latency.quantileMillis(l.lastMinute(t0 + 60_000), 0.5)).isBetween(2.5, 5.0);

        assertThat(Latency.count(l.totals())).isEqualTo(101);
        assertThat(l.totalSeconds()).isCloseTo(99 * 0.0005 + 0.040 + 0.003, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Latency.quantileMillis(new long[Latency.BOUNDS.length + 1], 0.5)).isZero();
    }
}
