package io.jpen.gui.model;

import io.jpen.core.model.ConnectionView;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One live connection in the table. Rows live as long as their connection and are updated in place; only
 * values that changed fire, so with thousands of rows a tick costs little more than the rows that moved.
 */
public final class ConnectionRow {
    private final int id;
    /** Changes once when accept_proxy reads the PROXY header that names the real client. */
    private final ReadOnlyStringWrapper client = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper via = new ReadOnlyStringWrapper("");
    private final String protocol;
    private final ReadOnlyStringWrapper server = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper();
    private final ReadOnlyLongWrapper age = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper idle = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper bytesUp = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper bytesDown = new ReadOnlyLongWrapper();
    /** Marks rows seen in the current snapshot (rows not seen have ended). */
    long seenTick;
    /** Whether the table lists this row (it matches the filter). */
    boolean shown;

    ConnectionRow(ConnectionView v) {
        this.id = v.id();
        this.protocol = v.protocol() == null ? "tcp" : v.protocol();
        update(v);
    }

    void update(ConnectionView v) {
        client.set(typed(v.client()));
        via.set(v.via() == null ? "" : typed(v.via()));
        server.set(v.serverName());
        state.set(v.state());
        age.set(v.ageMillis());
        idle.set(v.idleMillis());
        bytesUp.set(v.bytesUp());
        bytesDown.set(v.bytesDown());
    }

    /** InetSocketAddress.toString() starts with "/" when there is no host name: show what a user would type. */
    private static String typed(String address) {
        return address.startsWith("/") ? address.substring(1) : address;
    }

    public int id() { return id; }
    public String client() { return client.get(); }
    /** The balancer in front whose PROXY header named the client, or "" for a client that connected directly. */
    public String via() { return via.get(); }
    /** "tcp", or "udp" for a UDP stream. */
    public String protocol() { return protocol; }
    public String server() { return server.get(); }
    public String state() { return state.get(); }
    public long age() { return age.get(); }
    public long idle() { return idle.get(); }
    public long bytesUp() { return bytesUp.get(); }
    public long bytesDown() { return bytesDown.get(); }

    public ReadOnlyStringProperty clientProperty() { return client.getReadOnlyProperty(); }
    public ReadOnlyStringProperty viaProperty() { return via.getReadOnlyProperty(); }
    public ReadOnlyStringProperty serverProperty() { return server.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stateProperty() { return state.getReadOnlyProperty(); }
    public ReadOnlyLongProperty ageProperty() { return age.getReadOnlyProperty(); }
    public ReadOnlyLongProperty idleProperty() { return idle.getReadOnlyProperty(); }
    public ReadOnlyLongProperty bytesUpProperty() { return bytesUp.getReadOnlyProperty(); }
    public ReadOnlyLongProperty bytesDownProperty() { return bytesDown.getReadOnlyProperty(); }

    /** What the filter box matches against: id, client, the PROXY peer, server, state and protocol. */
    boolean matches(String needle) {
        return Integer.toString(id).equals(needle) || client().contains(needle) || via().contains(needle)
                || server().contains(needle) || state().contains(needle) || protocol.equals(needle);
    }
}
