package io.jpen.gui.model;

import io.jpen.core.console.Console;
import io.jpen.core.model.NodeRole;
import io.jpen.core.model.Snapshot;
import io.jpen.core.model.Totals;
import io.jpen.gui.app.BalancerSpec;
import io.jpen.gui.app.Session;
import io.jpen.gui.fx.FxThread;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ObservableList;
import javafx.scene.chart.XYChart;

import java.util.Map;

/**
 * One balancer of a fleet as the sidebar and the fleet overview show it: its role, listen address, connections,
 * new connections and bytes per second, servers by state, whether it is in contact — from its own snapshot stream
 * — and its full {@link ConsoleModel}, which follows snapshots only while the balancer is the one on screen.
 * All properties change on the FX thread.
 */
public final class FleetMember {
    /** Opening: logging in or starting; live: a console is attached; failed: it could not be opened. */
    public enum Phase { OPENING, LIVE, FAILED }

    private final BalancerSpec spec;
    private final FxThread fx;
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(Phase.OPENING);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper role = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper listen = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper connections = new ReadOnlyIntegerWrapper();
    private final ReadOnlyDoubleWrapper newPerSecond = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper bytesPerSecond = new ReadOnlyDoubleWrapper();
    private final ReadOnlyStringWrapper servers = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper inContact = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<Tone> health = new ReadOnlyObjectWrapper<>(Tone.MUTED);
    private final BooleanProperty chosen = new SimpleBooleanProperty(true);
    private final XYChart.Series<Number, Number> history = new XYChart.Series<>();
    private Tone serversTone = Tone.OK;
    private Session session;
    private ConsoleModel model;
    private Console.Subscription subscription;
    private long lastSnapshotNanos;
    private long lastPointMillis;

    public FleetMember(BalancerSpec spec, String name, FxThread fx) {
        this.spec = spec;
        this.fx = fx;
        this.name.set(name);
        history.setName(name);
    }

    /** The balancer is open: follow its snapshots (on the FX thread). */
    public void attached(Session s) {
        session = s;
        model = new ConsoleModel(s.console(), fx);
        name.set(shortName(s));
        history.setName(name.get());
        phase.set(Phase.LIVE);
        lastSnapshotNanos = System.nanoTime();
        subscription = fx.follow(s.console(), this::update);
        check();
    }

    /** The balancer could not be opened; the message says why. */
    public void failed(String why) {
        phase.set(Phase.FAILED);
        problem.set(why);
        inContact.set(false);
        health.set(Tone.DANGER);
    }

    private static String shortName(Session s) {
        String t = s.console().target();
        return t.startsWith("in-process ") ? s.kind() + " " + t.substring("in-process ".length()) : t;
    }

    void update(Snapshot s) {
        lastSnapshotNanos = System.nanoTime();
        Totals t = s.totals();
        connections.set(t.connections());
        newPerSecond.set(t.connectionsPerSecond());
        bytesPerSecond.set(t.bytesUpPerSecond() + t.bytesDownPerSecond());
        listen.set(s.listen());
        // an in-process balancer is known by where it listens: the bound port, not a configured 0
        if (session.console().target().startsWith("in-process ")) {
            String n = session.kind() + " " + s.listen();
            if (!n.equals(name.get())) {
                name.set(n);
                history.setName(n);
            }
        }
        NodeRole r = s.role();
        role.set(r.known() ? r.role() : "");
        Map<ServerRow.State, Integer> counts = ServerStates.count(s.servers());
        servers.set(ServerStates.summary(counts));
        serversTone = ServerStates.tone(counts);
        if (s.takenMillis() - lastPointMillis >= 1000 || lastPointMillis == 0) {
            lastPointMillis = s.takenMillis();
            ObservableList<XYChart.Data<Number, Number>> data = history.getData();
            double x = s.takenMillis() / 1000.0;
            data.add(new XYChart.Data<>(x, t.connections()));
            int excess = 0;
            while (excess < data.size() && data.get(excess).getXValue().doubleValue() < x - OverviewModel.WINDOW_SECONDS) excess++;
            if (excess > 0) data.remove(0, excess);
        }
        check();
    }

    /** Re-evaluates contact: at each snapshot and once a second (snapshots may stop coming). */
    public void check() {
        if (phase.get() != Phase.LIVE) return;
        Console c = session.console();
        long silentMillis = (System.nanoTime() - lastSnapshotNanos) / 1_000_000;
        boolean ok = c.connected() && c.latest() != null && silentMillis < StatusModel.STALE_MILLIS;
        inContact.set(ok);
        if (ok) {
            problem.set("");
            health.set(serversTone);
        } else {
            String why = c.lastError();
            problem.set("out of contact" + (c.latest() == null ? "" : " for " + Format.duration(silentMillis))
                    + (why == null || why.isBlank() ? "" : ": " + why));
            health.set(Tone.DANGER);
        }
    }

    /** Stops following; closes what the balancer's session started (off the FX thread: engines wait for their loops). */
    public void close() {
        if (subscription != null) subscription.close();
        if (model != null) model.close();
        Session s = session;
        if (s != null) java.util.concurrent.CompletableFuture.runAsync(s::close);
    }

    public BalancerSpec spec() { return spec; }
    /** The console, or null until open. */
    public Console console() { return session == null ? null : session.console(); }
    public Session session() { return session; }
    /** The full view model, or null until open. */
    public ConsoleModel model() { return model; }
    public ReadOnlyStringProperty nameProperty() { return name.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Phase> phaseProperty() { return phase.getReadOnlyProperty(); }
    /** Why it failed or is out of contact; empty when fine. */
    public ReadOnlyStringProperty problemProperty() { return problem.getReadOnlyProperty(); }
    /** The HA role (master, backup, fault), empty when none was reported. */
    public ReadOnlyStringProperty roleProperty() { return role.getReadOnlyProperty(); }
    public ReadOnlyStringProperty listenProperty() { return listen.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty connectionsProperty() { return connections.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty newPerSecondProperty() { return newPerSecond.getReadOnlyProperty(); }
    /** Both ways together. */
    public ReadOnlyDoubleProperty bytesPerSecondProperty() { return bytesPerSecond.getReadOnlyProperty(); }
    /** "3 up · 1 blacklisted". */
    public ReadOnlyStringProperty serversProperty() { return servers.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty inContactProperty() { return inContact.getReadOnlyProperty(); }
    /** Danger when it failed, is out of contact, has a failing server or none up; warning when a server needs a look. */
    public ReadOnlyObjectProperty<Tone> healthProperty() { return health.getReadOnlyProperty(); }
    /** Whether a fleet command goes to this balancer. */
    public BooleanProperty chosenProperty() { return chosen; }
    /** Connections, one point a second, for the fleet's chart. */
    public XYChart.Series<Number, Number> history() { return history; }
}
