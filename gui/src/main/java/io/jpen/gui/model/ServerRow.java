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

import java.util.Map;

/** One row of the servers table; updated in place every tick so the table keeps its selection and scroll. */
public final class ServerRow {
    /** The emergency server's row has this index (it is not one of Pen's numbered servers). */
    public static final int EMERGENCY = -1;

    /**
     * What the console shows of a server's state, and in which tone. {@link #of} is the one place a server's state
     * in a snapshot becomes one of these, and each has its tone (console.css says what a tone looks like).
     */
    public enum State {
        UP("up", Tone.OK),
        /** Up as far as the balancer knows, but its last connect failed and none has worked since. */
        FAILING("failing", Tone.WARNING),
        /** Failed its active check. */
        DOWN("down", Tone.DANGER),
        BLACKLISTED("blacklisted", Tone.DANGER),
        /** No new clients; established ones go on. */
        DRAIN("drain", Tone.WARNING),
        /** Taken out by hand. */
        MAINT("maint", Tone.MUTED),
        DISABLED("disabled", Tone.MUTED),
        EMERGENCY("emergency", Tone.ACCENT);

        private final String word;
        private final Tone tone;

        State(String word, Tone tone) {
            this.word = word;
            this.tone = tone;
        }

        public String word() { return word; }
        public Tone tone() { return tone; }

        /** @param failing whether the server's latest connect attempt failed (see {@link FailureWatch}) */
        public static State of(String snapshotState, boolean failing) {
            return switch (snapshotState == null ? "" : snapshotState) {
                case "down" -> DOWN;
                case "blacklisted" -> BLACKLISTED;
                case "drain" -> DRAIN;
                case "maint" -> MAINT;
                case "disabled" -> DISABLED;
                default -> failing ? FAILING : UP;
            };
        }
    }

    private final int index;
    private final FailureWatch failures = new FailureWatch();
    private final ReadOnlyStringWrapper address = new ReadOnlyStringWrapper();
    private final ReadOnlyIntegerWrapper port = new ReadOnlyIntegerWrapper();
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.UP);
    private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper();
    private final ReadOnlyIntegerWrapper connections = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper soft = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper hard = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper weight = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper prio = new ReadOnlyIntegerWrapper();
    private final ReadOnlyLongWrapper total = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper failed = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper sent = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper received = new ReadOnlyLongWrapper();
    private final ReadOnlyDoubleWrapper sentRate = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper receivedRate = new ReadOnlyDoubleWrapper();
    private final ReadOnlyStringWrapper reason = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper check = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper lastCheck = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper checkPort = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper slowstart = new ReadOnlyIntegerWrapper();
    private final ReadOnlyStringWrapper proxy = new ReadOnlyStringWrapper("off");
    private final ReadOnlyStringWrapper connectTime = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper firstByteTime = new ReadOnlyStringWrapper("");

    public ServerRow(int index) {
        this.index = index;
    }

    void update(ServerView v, long nowMillis, Map<String, String> names) {
        address.set(v.address());
        port.set(v.port());
        name.set(names.getOrDefault(v.address() + ":" + v.port(), ""));
        State s = State.of(v.state(), failures.failing(v.totalConnections(), v.failures()));
        state.set(s);
        stateText.set(stateText(v, s, nowMillis));
        reason.set(v.reason());
        check.set(v.check() == null ? "" : v.check());
        lastCheck.set(v.lastCheck() == null ? "" : (v.lastCheckOk() ? "passed: " : "failed: ") + v.lastCheck()
                + String.format(java.util.Locale.ROOT, " (%.1f ms)", v.lastCheckLatencyMillis()));
        checkPort.set(v.checkPort());
        slowstart.set(v.slowstartSeconds());
        connections.set(v.connections());
        soft.set(v.soft());
        hard.set(v.hard());
        weight.set(v.weight());
        prio.set(v.prio());
        total.set(v.totalConnections());
        failed.set(v.failures());
        sent.set(v.bytesSent());
        received.set(v.bytesReceived());
        sentRate.set(v.sentPerSecond());
        receivedRate.set(v.receivedPerSecond());
        proxy.set(v.proxy());
        connectTime.set(Format.latency(v.connectP50Millis(), v.connectP99Millis(), v.connectsLastMinute()));
        firstByteTime.set(Format.latency(v.firstByteP50Millis(), v.firstByteP99Millis(), v.firstBytesLastMinute()));
    }

    /**
     * The state column: the word, the seconds left of a blacklist or a timed drain, the slow start's share while it
     * ramps, and why ("down: HTTP 503 from /healthz").
     */
    static String stateText(ServerView v, State s, long nowMillis) {
        if (s == State.FAILING) return "failing (up, last connect failed)";
        StringBuilder t = new StringBuilder(v.state());
        long until = s == State.BLACKLISTED ? v.blacklistedUntilMillis() : s == State.DRAIN ? v.drainDeadlineMillis() : 0;
        if (until > 0) t.append(' ').append(Math.max(0, (until - nowMillis + 999) / 1000)).append(" s");
        if (s == State.UP && v.slowstartSeconds() > 0 && v.rampShare() < 1) {
            t.append(" (slow start ").append(Math.round(v.rampShare() * 100)).append(" %)");
        }
        if (s != State.UP && s != State.DISABLED && v.reason() != null && !v.reason().isEmpty()) t.append(": ").append(v.reason());
        return t.toString();
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
    /** What the session calls this server ("alpha" in the demo), or "". */
    public ReadOnlyStringProperty nameProperty() { return name.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stateTextProperty() { return stateText.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty connectionsProperty() { return connections.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty softProperty() { return soft.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty hardProperty() { return hard.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty weightProperty() { return weight.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty prioProperty() { return prio.getReadOnlyProperty(); }
    public ReadOnlyLongProperty totalProperty() { return total.getReadOnlyProperty(); }
    public ReadOnlyLongProperty failuresProperty() { return failed.getReadOnlyProperty(); }
    public ReadOnlyLongProperty sentProperty() { return sent.getReadOnlyProperty(); }
    public ReadOnlyLongProperty receivedProperty() { return received.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty sentRateProperty() { return sentRate.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty receivedRateProperty() { return receivedRate.getReadOnlyProperty(); }
    /** Why the server is in its state, in plain words (empty when there is nothing to say). */
    public ReadOnlyStringProperty reasonProperty() { return reason.getReadOnlyProperty(); }
    /** Its active check as penctl words ({@code http /healthz}); empty for none. */
    public ReadOnlyStringProperty checkProperty() { return check.getReadOnlyProperty(); }
    /** What the last check found ("passed: HTTP 200 from /healthz (0.8 ms)"); empty before the first. */
    public ReadOnlyStringProperty lastCheckProperty() { return lastCheck.getReadOnlyProperty(); }
    /** "off", "v1" or "v2": the PROXY header connections to this server start with. */
    public ReadOnlyStringProperty proxyProperty() { return proxy.getReadOnlyProperty(); }
    public String proxy() { return proxy.get(); }
    /** Time to connect over the last minute, "p50 / p99 ms", or "" when nothing connected. */
    public ReadOnlyStringProperty connectTimeProperty() { return connectTime.getReadOnlyProperty(); }
    public String connectTime() { return connectTime.get(); }
    /** HTTP mode: time to the first byte of an answer over the last minute, or "". */
    public ReadOnlyStringProperty firstByteTimeProperty() { return firstByteTime.getReadOnlyProperty(); }
    public String firstByteTime() { return firstByteTime.get(); }

    public String address() { return address.get(); }
    public int port() { return port.get(); }
    public String name() { return name.get(); }
    public State state() { return state.get(); }
    public String stateText() { return stateText.get(); }
    public int connections() { return connections.get(); }
    public int soft() { return soft.get(); }
    public int hard() { return hard.get(); }
    public int weight() { return weight.get(); }
    public int prio() { return prio.get(); }
    public long total() { return total.get(); }
    public long sent() { return sent.get(); }
    public long received() { return received.get(); }
    public String check() { return check.get(); }
    public String lastCheck() { return lastCheck.get(); }
    public int checkPort() { return checkPort.get(); }
    public int slowstart() { return slowstart.get(); }

    /**
     * Whether a server's latest connect failed. Every attempt counts in its total and a failed one in its
     * failures too, so total minus failures counts the connects that worked: the server is failing from the tick
     * its failures rise until the tick its successes do. Counts from before the console attached say nothing.
     */
    static final class FailureWatch {
        private long failures = -1;
        private long successes = -1;
        private boolean failing;

        boolean failing(long total, long failuresNow) {
            long successesNow = total - failuresNow;
            if (failures >= 0) {
                if (failuresNow > failures) failing = true;
                else if (successesNow > successes) failing = false;
            }
            failures = failuresNow;
            successes = successesNow;
            return failing;
        }
    }
}
