package io.jpen.gui.testing;

import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import io.jpen.core.model.Totals;

import java.util.List;

/** Snapshots built by hand, for view-model tests that need exact contents. */
public final class Snapshots {
    private Snapshots() {}

    public static Snapshot of(long millis, Settings settings, List<ServerView> servers, List<ConnectionView> connections,
                              List<Snapshot.EventView> events, long eventSequence) {
        return new Snapshot(Snapshot.VERSION, millis, 0, "127.0.0.1:8080", "epoll", settings, servers,
                new Totals(connections.size(), connections.size(), 0, 0, 0, 0, 0), connections, false, events, eventSequence);
    }

    public static ServerView server(int index, String state, int connections) {
        return new ServerView(index, "127.0.0.1", 9000 + index, state, 0, connections, 0, 0, 0, 0, -1,
                connections, 0, 0, 0, 0, 0, 0);
    }

    public static ConnectionView connection(int id, long bytesUp) {
        return new ConnectionView(id, "/127.0.0.1:" + (40000 + id), 0, "server 0", "established", 1000, 10, bytesUp, 0);
    }
}
