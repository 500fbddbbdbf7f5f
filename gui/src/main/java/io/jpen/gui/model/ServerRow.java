package io.jpen.gui.model;

import io.jpen.core.model.ServerView;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One row of the servers table; updated in place every tick so the table keeps its selection and scroll. */
public final class ServerRow {
    /** The emergency server's row has this index (it is not one of Pen's numbered servers). */
    public static final int EMERGENCY = -1;

    /** What the state column shows, and how it is coloured. */
    public enum State { UP, BLACKLISTED, DISABLED, EMERGENCY }

    private final int index;
    private final ReadOnlyStringWrapper address = new ReadOnlyStringWrapper();
    private final ReadOnlyIntegerWrapper port = new ReadOnlyIntegerWrapper();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.UP);
    private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper();
    private final ReadOnlyIntegerWrapper connections = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper soft = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper hard = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper weight = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper prio = new ReadOnlyIntegerWrapper();
    private final ReadOnlyLongWrapper total = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper failures = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper sent = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper received = new ReadOnlyLongWrapper();
    private final ReadOnlyDoubleWrapper sentRate = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper receivedRate = new ReadOnlyDoubleWrapper();
    private final ReadOnlyStringWrapper proxy = new ReadOnlyStringWrapper("off");

    public ServerRow(int index) {
        this.index = index;
    }

    void update(ServerView v, long nowMillis) {
        address.set(v.address());
        port.set(v.port());
        State s = switch (v.state()) {
            case "blacklisted" -> State.BLACKLISTED;
            case "disabled" -> State.DISABLED;
            default -> State.UP;
        };
        state.set(s);
        stateText.set(s == State.BLACKLISTED
                ? "blacklisted " + Math.max(0, (v.blacklistedUntilMillis() - nowMillis + 999) / 1000) + " s"
                : v.state());
        connections.set(v.connections());
        soft.set(v.soft());
        hard.set(v.hard());
        weight.set(v.weight());
        prio.set(v.prio());
        total.set(v.totalConnections());
        failures.set(v.failures());
        sent.set(v.bytesSent());
        received.set(v.bytesReceived());
        sentRate.set(v.sentPerSecond());
        receivedRate.set(v.receivedPerSecond());
        proxy.set(v.proxy());
    }

    /** The emergency server: configured with -e, used only when every regular server is unavailable. */
    void updateEmergency(String host, int p, int live, boolean inUse) {
        address.set(host);
        port.set(p);
        state.set(State.EMERGENCY);
        stateText.set(inUse ? "emergency (in use)" : "emergency (standby)");
        connections.set(live);
    }

    public int index() { return index; }
    public boolean emergency() { return index == EMERGENCY; }
    public ReadOnlyStringProperty addressProperty() { return address.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty portProperty() { return port.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stateTextProperty() { return stateText.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty connectionsProperty() { return connections.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty softProperty() { return soft.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty hardProperty() { return hard.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty weightProperty() { return weight.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty prioProperty() { return prio.getReadOnlyProperty(); }
    public ReadOnlyLongProperty totalProperty() { return total.getReadOnlyProperty(); }
    public ReadOnlyLongProperty failuresProperty() { return failures.getReadOnlyProperty(); }
    public ReadOnlyLongProperty sentProperty() { return sent.getReadOnlyProperty(); }
    public ReadOnlyLongProperty receivedProperty() { return received.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty sentRateProperty() { return sentRate.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty receivedRateProperty() { return receivedRate.getReadOnlyProperty(); }
    /** "off", "v1" or "v2": the PROXY header connections to this server start with. */
    public ReadOnlyStringProperty proxyProperty() { return proxy.getReadOnlyProperty(); }
    public String proxy() { return proxy.get(); }

    public String address() { return address.get(); }
    public int port() { return port.get(); }
    public State state() { return state.get(); }
    public int connections() { return connections.get(); }
    public int soft() { return soft.get(); }
    public int hard() { return hard.get(); }
    public int weight() { return weight.get(); }
    public int prio() { return prio.get(); }
    public long total() { return total.get(); }
    public long sent() { return sent.get(); }
    public long received() { return received.get(); }
}
