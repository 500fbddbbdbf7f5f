package io.jpen.gui.model;

import io.jpen.core.console.Console;
import io.jpen.core.model.Snapshot;
import io.jpen.gui.fx.FxThread;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The console window's view model: one part per view, all fed from one snapshot stream on the FX thread.
 * Lives for one session; {@link #close} stops the stream.
 */
public final class ConsoleModel implements AutoCloseable {
    private final Console console;
    private final FxThread fx;
    private final Commands commands;
    private final OverviewModel overview;
    private final ServersModel servers;
    private final ConnectionsModel connections;
    private final ClientsModel clients;
    private final ModesModel modes;
    private final EventsModel events = new EventsModel();
    private final StatusModel status;
    private final java.util.List<Runnable> afterTick = new java.util.ArrayList<>();
    private final java.util.List<Notice> notices = new java.util.ArrayList<>();
    private Console.Subscription subscription;

    public ConsoleModel(Console console, FxThread fx) {
        this(console, fx, Map.of(), System::currentTimeMillis);
    }

    /**
     * @param names what the session calls its servers, by "address:port" (the demo names its servers)
     * @param clock epoch milliseconds, for messages that clear after a while
     */
    public ConsoleModel(Console console, FxThread fx, Map<String, String> names, LongSupplier clock) {
        this.console = console;
        this.fx = fx;
        this.commands = new Commands(console, fx);
        this.servers = new ServersModel(commands, names, notice(clock));
        this.overview = new OverviewModel(servers.rows());
        this.connections = new ConnectionsModel(commands, notice(clock));
        this.clients = new ClientsModel(commands, notice(clock));
        this.modes = new ModesModel(commands);
        this.status = new StatusModel(console);
        status.connectedProperty().addListener((o, was, ok) -> contact(ok, clock.getAsLong()));
    }

    /** Whether a snapshot ever arrived, and whether the loss of contact since the last one is in the event log. */
    private boolean seen;
    private boolean lostNoted;

    /** Lost and restored contact go to the event log, once each way (never before the first contact). */
    private void contact(boolean ok, long millis) {
        // a fleet stops following the balancers not on screen: their silence then is not lost contact
        if (subscription == null || !seen || ok != lostNoted) return;
        lostNoted = !ok;
        String why = console.lastError() == null ? "" : console.lastError();
        events.contact(ok, console.target(), why, millis);
    }

    private Notice notice(LongSupplier clock) {
        Notice n = new Notice(clock);
        notices.add(n);
        return n;
    }

    /** Starts following the console's snapshots. */
    public ConsoleModel start() {
        seen = false;
        lostNoted = false;
        subscription = fx.follow(console, this::apply);
        return this;
    }

    /** Applies one snapshot to every view model (on the FX thread). */
    public void apply(Snapshot s) {
        seen = true;
        status.update(s);
        servers.update(s); // before the overview, whose picture shows the servers' states
        overview.update(s);
        connections.update(s);
        clients.update(s);
        modes.update(s);
        events.update(s);
        for (Runnable r : afterTick) r.run();
    }

    /** About once a second, on the FX thread, whether snapshots come or not: reachability, and old messages go. */
    public void everySecond() {
        status.check();
        for (Notice n : notices) n.expire();
    }

    /** Runs {@code r} on the FX thread after each snapshot has been applied (views that sync controls). */
    public void afterTick(Runnable r) {
        afterTick.add(r);
    }

    public Console console() { return console; }
    public FxThread fx() { return fx; }
    public Commands commands() { return commands; }
    public OverviewModel overview() { return overview; }
    public ServersModel servers() { return servers; }
    public ConnectionsModel connections() { return connections; }
    public ClientsModel clients() { return clients; }
    public ModesModel modes() { return modes; }
    public EventsModel events() { return events; }
    public StatusModel status() { return status; }

    @Override
    public void close() {
        if (subscription != null) subscription.close();
        subscription = null;
    }
}
