package io.jpen.core.model;

/** Balancer-wide counters and the rates over the last tick. */
public record Totals(int connections, long acceptedTotal, long bytesUp, long bytesDown,
                     double connectionsPerSecond, double bytesUpPerSecond, double bytesDownPerSecond) {
}
