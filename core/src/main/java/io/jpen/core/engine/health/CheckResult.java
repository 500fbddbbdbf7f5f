package io.jpen.core.engine.health;

/**
 * One probe's outcome.
 *
 * @param ok        whether the server passed
 * @param text      what happened, in plain words ("HTTP 200 from /healthz", "connection refused by …")
 * @param atMillis  when it ended (the engine's clock)
 * @param nanos     how long it took, connect included
 */
public record CheckResult(boolean ok, String text, long atMillis, long nanos) {
    public double millis() {
        return nanos / 1e6;
    }
}
