package io.jpen.core.model;

/**
 * One entry of the balancer's client table (Pen's "active clients") as an observer sees it.
 *
 * @param address        the client's IP address
 * @param server         the server tracking sends it to (-1 when none yet)
 * @param connections    its live connections now
 * @param bytesUp        client to server over all its connections, live ones included
 * @param bytesDown      server to client, the same
 * @param connects       connections it has made since it entered the table
 * @param lastSeenMillis epoch millis of its last connection or, while connected, of its last byte (0 for a pinned
 *                       client not seen yet)
 * @param pinnedServer   the server the operator pinned it to ({@code client A pin N}), -1 when not pinned
 */
public record ClientView(String address, int server, int connections, long bytesUp, long bytesDown, long connects,
                         long lastSeenMillis, int pinnedServer) {
    public boolean pinned() {
        return pinnedServer >= 0;
    }
}
