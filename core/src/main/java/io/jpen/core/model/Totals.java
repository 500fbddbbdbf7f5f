package io.jpen.core.model;

/**
 * Balancer-wide counters and the rates over the last tick.
 *
 * @param idlers idle connections to the backends open right now (Pen's reliable idlers; the wanted count is
 *               {@code settings.idlers()})
 */
public record Totals(int connections, long acceptedTotal, long bytesUp, long bytesDown,
                     double connectionsPerSecond, double bytesUpPerSecond, double bytesDownPerSecond, int idlers) {

    /** Totals without idlers, for callers that predate them. */
    public Totals(int connections, long acceptedTotal, long bytesUp, long bytesDown,
                  double connectionsPerSecond, double bytesUpPerSecond, double bytesDownPerSecond) {
        this(connections, acceptedTotal, bytesUp, bytesDown, connectionsPerSecond, bytesUpPerSecond, bytesDownPerSecond, 0);
    }
}
