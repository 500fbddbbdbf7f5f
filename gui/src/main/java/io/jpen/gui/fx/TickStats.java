package io.jpen.gui.fx;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the FX thread spends applying one snapshot: last, mean and worst, and how many snapshots were skipped
 * because a newer one had arrived first. Wall time and the FX thread's CPU time: on a busy machine the wall time
 * includes waiting for a core, the CPU time is the console's own cost. Written on the FX thread, readable from
 * any thread.
 */
public final class TickStats {
    private volatile long lastNanos;
    private volatile long maxNanos;
    private volatile int lastRows;
    private final AtomicLong totalNanos = new AtomicLong();
    private final AtomicLong totalCpuNanos = new AtomicLong();
    private volatile long maxCpuNanos;
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** This thread's CPU time in nanoseconds, or 0 where the JVM cannot tell. */
    static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    void record(long nanos, long cpuNanos, int rows) {
        totalCpuNanos.addAndGet(cpuNanos);
        if (cpuNanos > maxCpuNanos) maxCpuNanos = cpuNanos;
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

    public double maxCpuMillis() { return maxCpuNanos / 1e6; }

    public double meanCpuMillis() {
        long n = ticks.get();
        return n == 0 ? 0 : totalCpuNanos.get() / 1e6 / n;
    }

    public double meanMillis() {
        long n = ticks.get();
        return n == 0 ? 0 : totalNanos.get() / 1e6 / n;
    }

    /** Starts a new measurement window. */
    public void reset() {
        totalNanos.set(0);
        totalCpuNanos.set(0);
        maxCpuNanos = 0;
        ticks.set(0);
        skipped.set(0);
        maxNanos = 0;
    }
}
