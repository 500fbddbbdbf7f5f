package io.jpen.core.select;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One server's durations of one kind (time to connect, time to the first response byte) in fixed buckets: counts
 * since the start, for Prometheus, and counts over the last minute, for p50 and p99. Recorded from every event loop
 * without locks and without allocating: the minute is six ten-second slots, each reused when its turn comes round.
 * A slot being cleared while another loop records into it may lose that one sample; a quantile does not mind.
 */
public final class Latency {
    /** Upper bounds of the buckets, in seconds (the same scale as the health checks' durations, finer at the low end). */
    public static final double[] BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5, 10};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];
    static {
        for (int i = 0; i < BOUNDS.length; i++) BOUNDS_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
    }
    private static final int SLOTS = 6;
    private static final long SLOT_MILLIS = 10_000;
    private static final int WIDTH = BOUNDS.length + 1;

    private final AtomicLongArray total = new AtomicLongArray(WIDTH);
    private final AtomicLong totalNanos = new AtomicLong();
    private final AtomicLongArray recent = new AtomicLongArray(SLOTS * WIDTH);
    private final AtomicLongArray slotEpoch = new AtomicLongArray(SLOTS);

    /** Records one duration that ended at {@code nowMillis}. */
    public void record(long nowMillis, long nanos) {
        if (nanos < 0) nanos = 0;
        int b = bucket(nanos);
        total.incrementAndGet(b);
        totalNanos.addAndGet(nanos);
        long epoch = Math.floorDiv(nowMillis, SLOT_MILLIS);
        int slot = (int) Math.floorMod(epoch, (long) SLOTS);
        long was = slotEpoch.get(slot);
        if (was != epoch && slotEpoch.compareAndSet(slot, was, epoch)) {
            for (int i = 0; i < WIDTH; i++) recent.set(slot * WIDTH + i, 0);
        }
        recent.incrementAndGet(slot * WIDTH + b);
    }

    private static int bucket(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) i++;
        return i;
    }

    /** Counts since the start, per bucket (not cumulative; the last entry counts what is over the last bound). */
    public long[] totals() {
        long[] c = new long[WIDTH];
        for (int i = 0; i < WIDTH; i++) c[i] = total.get(i);
        return c;
    }

    /** All durations since the start added up, in seconds. */
    public double totalSeconds() {
        return totalNanos.get() / 1e9;
    }

    /** Counts over the last minute (the six slots of the last 60 s), per bucket. */
    public long[] lastMinute(long nowMillis) {
        long epoch = Math.floorDiv(nowMillis, SLOT_MILLIS);
        long[] c = new long[WIDTH];
        for (int s = 0; s < SLOTS; s++) {
            long e = slotEpoch.get(s);
            if (e <= epoch - SLOTS || e > epoch) continue;
            for (int i = 0; i < WIDTH; i++) c[i] += recent.get(s * WIDTH + i);
        }
        return c;
    }

    /**
     * The {@code q} quantile (0.5, 0.99) of {@code counts} in milliseconds, interpolated within its bucket; 0 when
     * there is nothing; the last bound when it falls beyond it.
     */
    public static double quantileMillis(long[] counts, double q) {
        long n = 0;
        for (long c : counts) n += c;
        if (n == 0) return 0;
        double rank = q * n;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            if (seen + counts[i] >= rank) {
                if (i >= BOUNDS.length) return BOUNDS[BOUNDS.length - 1] * 1000;
                double low = i == 0 ? 0 : BOUNDS[i - 1];
                double share = (rank - seen) / counts[i];
                return (low + (BOUNDS[i] - low) * Math.max(0, Math.min(1, share))) * 1000;
            }
            seen += counts[i];
        }
        return BOUNDS[BOUNDS.length - 1] * 1000;
    }

    public static long count(long[] counts) {
        long n = 0;
        for (long c : counts) n += c;
        return n;
    }
}
