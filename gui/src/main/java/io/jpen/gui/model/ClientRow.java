package io.jpen.gui.model;

import io.jpen.core.model.ClientView;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One entry of the balancer's client table, updated in place while the client stays in the table. */
public final class ClientRow {
    private final String address;
    private final ReadOnlyStringWrapper server = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper pin = new ReadOnlyStringWrapper();
    private final ReadOnlyIntegerWrapper connections = new ReadOnlyIntegerWrapper();
    private final ReadOnlyLongWrapper bytesUp = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper bytesDown = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper connects = new ReadOnlyLongWrapper();
    /** Time since the client was last seen, as of the snapshot (-1 for a pinned client not seen yet). */
    private final ReadOnlyLongWrapper seenAgo = new ReadOnlyLongWrapper();
    private int pinnedServer = -1;
    long seenTick;
    boolean shown;

    ClientRow(ClientView v, long now) {
        this.address = v.address();
        update(v, now);
    }

    void update(ClientView v, long now) {
        server.set(v.server() < 0 ? "none" : "server " + v.server());
        pinnedServer = v.pinnedServer();
        pin.set(v.pinned() ? "server " + v.pinnedServer() : "");
        connections.set(v.connections());
        bytesUp.set(v.bytesUp());
        bytesDown.set(v.bytesDown());
        connects.set(v.connects());
        seenAgo.set(v.lastSeenMillis() <= 0 ? -1 : Math.max(0, now - v.lastSeenMillis()));
    }

    public String address() { return address; }
    public String server() { return server.get(); }
    /** "server N" when the operator pinned the client, "" otherwise. */
    public String pin() { return pin.get(); }
    public boolean pinned() { return pinnedServer >= 0; }
    public int connections() { return connections.get(); }
    public long bytesUp() { return bytesUp.get(); }
    public long bytesDown() { return bytesDown.get(); }
    public long bytes() { return bytesUp.get() + bytesDown.get(); }
    public long connects() { return connects.get(); }
    public long seenAgo() { return seenAgo.get(); }

    public ReadOnlyStringProperty serverProperty() { return server.getReadOnlyProperty(); }
    public ReadOnlyStringProperty pinProperty() { return pin.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty connectionsProperty() { return connections.getReadOnlyProperty(); }
    public ReadOnlyLongProperty bytesUpProperty() { return bytesUp.getReadOnlyProperty(); }
    public ReadOnlyLongProperty bytesDownProperty() { return bytesDown.getReadOnlyProperty(); }
    public ReadOnlyLongProperty connectsProperty() { return connects.getReadOnlyProperty(); }
    public ReadOnlyLongProperty seenAgoProperty() { return seenAgo.getReadOnlyProperty(); }

    /** What the filter box matches: the address, its server and its pin. */
    boolean matches(String needle) {
        return address.contains(needle) || server().contains(needle) || (pinned() && ("pinned".contains(needle) || pin().contains(needle)));
    }
}
