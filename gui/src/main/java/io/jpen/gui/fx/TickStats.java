package io.jpen.gui.fx;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the FX thread spends applying one snapshot: last, mean and worst, and how many snapshots were skipped
 * because a newer one had arrived first. Written on the FX thread, readable from any thread.
 */
public final class TickStats {
    private volatile long lastNanos;
    private volatile long maxNanos;
    private volatile int lastRows;
    private final AtomicLong totalNanos = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    void record(long nanos, int rows) {
        lastNanos = nanos;
        lastRows = rows;
        if (nanos > maxNanos) maxNanos = nanos;
        totalNanos.addAndGet(nanos);
        ticks.incrementAndGet();
    }

    void skipped() {
        skipped.incrementAndGet();
    }

    public double lastMillis() { return lastNanos / 1e6; }
    public double maxMillis() { return maxNanos / 1e6; }
    public int lastRows() { return lastRows; }
    public long ticks() { return ticks.get(); }
    public long skippedCount() { return skipped.get(); }

    public double meanMillis() {
        long n = ticks.get();
        return n == 0 ? 0 : totalNanos.get() / 1e6 / n;
    }

    /** Starts a new measurement window. */
    public void reset() {
        totalNanos.set(0);
        ticks.set(0);
        skipped.set(0);
        maxNanos = 0;
    }
}
