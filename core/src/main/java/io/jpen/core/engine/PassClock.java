package io.jpen.core.engine;

import io.netty.util.concurrent.FastThreadLocal;

import java.time.InstantSource;

/**
 * The engine's clock as an event loop's pass sees it: read at the first question after the loop has woken, then
 * the same answer until it waits again. Each read, each new pair and each close stamps its time (a connection's last
 * activity, its end); with several sockets ready at each wake-up those were a clock read each, and clock_gettime was
 * the largest single share of the user time of a keep-alive request (docs/performance.md). Both paths ask
 * {@link #millis(InstantSource)} (through {@link Relay#nowMillis}). Times that measure something shorter than a pass
 * (a connect's duration) read {@link System#nanoTime} instead. Only the loop's thread uses its clock.
 */
final class PassClock {
    private static final FastThreadLocal<PassClock> OF_LOOP = new FastThreadLocal<>();

    private final InstantSource source;
    /** Whether {@code millis} holds this pass's time. */
    private boolean read;
    private long millis;

    private PassClock(InstantSource source) {
        this.source = source;
    }

    /** Made by the loop's handler, on the loop's thread, before its first pass. */
    static PassClock ofThisLoop(InstantSource source) {
        PassClock c = new PassClock(source);
        OF_LOOP.set(c);
        return c;
    }

    /**
     * {@code source}'s time as this thread's loop sees it in its current pass, or read from {@code source} on any
     * other thread (a loop that does not tell its passes, one of another engine, or none).
     */
    static long millis(InstantSource source) {
        PassClock c = OF_LOOP.getIfExists();
        return c != null && c.source == source ? c.millis() : source.millis();
    }

    /** The loop is about to wait: the next question reads the clock again. */
    void newPass() {
        read = false;
    }

    private long millis() {
        if (!read) {
            millis = source.millis();
            read = true;
        }
        return millis;
    }
}
