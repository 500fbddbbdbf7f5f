package io.jpen.core.model;

import java.util.List;

/**
 * Everything an observer (console, API, metrics, status page) sees at one tick. Immutable. The connection list
 * is bounded; {@code totals.connections()} gives the real count.
 *
 * @param takenMillis    epoch millis of this tick
 * @param startedMillis  when the engine started
 * @param listen         the listen address as text
 * @param transport      epoll, io_uring or nio
 * @param events         recent operator-relevant events, oldest first
 * @param eventSequence  total events ever recorded (a reader tells new ones by it)
 * @param listener       protocol, TLS, upstream source and access lists (null from producers that predate it)
 * @param role           the node's HA role and since when ({@link NodeRole#UNKNOWN} from producers that predate it)
 * @param clients        the client table, bounded like the connections (busiest first); empty from producers that
 *                       predate it
 * @param clientsTruncated whether the table held more clients than listed
 */
public record Snapshot(int version, long takenMillis, long startedMillis, String listen, String transport,
                       Settings settings, List<ServerView> servers, Totals totals,
                       List<ConnectionView> connections, boolean connectionsTruncated,
                       List<EventView> events, long eventSequence, ListenerView listener, NodeRole role,
                       List<ClientView> clients, boolean clientsTruncated) {
    public static final int VERSION = 1;

    /** Without the client table: the form from before the Clients view. */
    public Snapshot(int version, long takenMillis, long startedMillis, String listen, String transport,
                    Settings settings, List<ServerView> servers, Totals totals,
                    List<ConnectionView> connections, boolean connectionsTruncated,
                    List<EventView> events, long eventSequence, ListenerView listener, NodeRole role) {
        this(version, takenMillis, startedMillis, listen, transport, settings, servers, totals, connections,
                connectionsTruncated, events, eventSequence, listener, role, List.of(), false);
    }

    /** Without the HA role: the form from before keepalived support. */
    public Snapshot(int version, long takenMillis, long startedMillis, String listen, String transport,
                    Settings settings, List<ServerView> servers, Totals totals,
                    List<ConnectionView> connections, boolean connectionsTruncated,
                    List<EventView> events, long eventSequence, ListenerView listener) {
        this(version, takenMillis, startedMillis, listen, transport, settings, servers, totals, connections,
                connectionsTruncated, events, eventSequence, listener, NodeRole.UNKNOWN);
    }

    /** Without the listener view: the form from before UDP, TLS and ACLs. */
    public Snapshot(int version, long takenMillis, long startedMillis, String listen, String transport,
                    Settings settings, List<ServerView> servers, Totals totals,
                    List<ConnectionView> connections, boolean connectionsTruncated,
                    List<EventView> events, long eventSequence) {
        this(version, takenMillis, startedMillis, listen, transport, settings, servers, totals, connections,
                connectionsTruncated, events, eventSequence, null);
    }

    public Snapshot {
        if (role == null) role = NodeRole.UNKNOWN;
        servers = List.copyOf(servers);
        connections = List.copyOf(connections);
        events = List.copyOf(events);
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /** An event from the engine's log. */
    public record EventView(long millis, String kind, String message) {}
}
