package io.jpen.core.model;

/**
 * Balancer-wide counters and the rates over the last tick.
 *
 * @param idlers      idle connections to the backends open right now (Pen's reliable idlers; the wanted count is
 *                    {@code settings.idlers()})
 * @param splicedUp   of {@code bytesUp}, those moved by splice (epoll) instead of copied through the JVM
 * @param splicedDown of {@code bytesDown}, the same
 */
public record Totals(int connections, long acceptedTotal, long bytesUp, long bytesDown,
                     double connectionsPerSecond, double bytesUpPerSecond, double bytesDownPerSecond, int idlers,
                     long splicedUp, long splicedDown) {

    /** Totals without idlers or spliced bytes (test snapshots). */
    public Totals(int connections, long acceptedTotal, long bytesUp, long bytesDown,
                  double connectionsPerSecond, double bytesUpPerSecond, double bytesDownPerSecond) {
        this(connections, acceptedTotal, bytesUp, bytesDown, connectionsPerSecond, bytesUpPerSecond, bytesDownPerSecond,
                0, 0, 0);
    }
}
