package io.jpen.gui.model;

import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.HostPort;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The servers table's rows, one per server in Pen's order plus the emergency server when one is set, and the
 * commands that change them: every edit is a {@code server N ...} line.
 */
public final class ServersModel {
    private final ObservableList<ServerRow> rows = FXCollections.observableArrayList();
    private final Commands commands;
    private final Map<String, String> names;
    private final Notice notice;
    private final ReadOnlyBooleanWrapper named = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper weightSelection = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper prioSelection = new ReadOnlyBooleanWrapper();
    private ServerRow emergencyRow;

    /**
     * @param names what the session calls some servers, by "address:port" (the demo's "alpha"); may be empty
     * @param notice where the replies to this view's actions show
     */
    public ServersModel(Commands commands, Map<String, String> names, Notice notice) {
        this.commands = commands;
        this.names = Map.copyOf(names);
        this.notice = notice;
        named.set(!names.isEmpty());
    }

    public ObservableList<ServerRow> rows() {
        return rows;
    }

    /** The answer to the last action taken in the servers view; it clears after a while. */
    public Notice notice() { return notice; }
    /** Whether the session names its servers (the table then shows a name column). */
    public ReadOnlyBooleanProperty namedProperty() { return named.getReadOnlyProperty(); }
    /** Whether the balancer selects by weight, so the weights matter. */
    public ReadOnlyBooleanProperty weightSelectionProperty() { return weightSelection.getReadOnlyProperty(); }
    /** Whether the balancer selects by prio, so the prios matter. */
    public ReadOnlyBooleanProperty prioSelectionProperty() { return prioSelection.getReadOnlyProperty(); }

    /** Applies a snapshot: rows are kept and updated; only a changed server count adds or removes rows. */
    public void update(Snapshot s) {
        Settings settings = s.settings();
        // Pen's precedence: prio wins over weight, so weights matter only when prio is off
        prioSelection.set(settings.prio());
        weightSelection.set(settings.weight() && !settings.prio());
        List<ServerView> servers = s.servers();
        int regular = emergencyRow == null ? rows.size() : rows.size() - 1;
        if (regular > servers.size()) rows.remove(servers.size(), regular);
        if (regular < servers.size()) {
            List<ServerRow> added = new ArrayList<>();
            for (int i = regular; i < servers.size(); i++) added.add(new ServerRow(servers.get(i).index()));
            rows.addAll(regular, added); // before the emergency row, which stays last
        }
        for (int i = 0; i < servers.size(); i++) rows.get(i).update(servers.get(i), s.takenMillis(), names);

        HostPort e = settings.emergency();
        if (e == null) {
            if (emergencyRow != null) rows.remove(emergencyRow);
            emergencyRow = null;
            return;
        }
        if (emergencyRow == null) {
            emergencyRow = new ServerRow(ServerRow.EMERGENCY);
            rows.add(emergencyRow);
        }
        int live = 0;
        for (ConnectionView c : s.connections()) if ("emergency".equals(c.serverName())) live++;
        boolean allDown = servers.stream().noneMatch(v -> "up".equals(v.state()));
        emergencyRow.updateEmergency(e.host(), e.port(), live, allDown || live > 0);
    }

    /** A form to edit {@code row}: validation and hints in the form, one command when saved. */
    public ServerEdit edit(ServerRow row) {
        return new ServerEdit(row, commands, weightSelection.get(), prioSelection.get(), notice);
    }

    /** {@code server N drain} (no new clients; established ones go on) or {@code server N drain S} (closed after S s). */
    public void drain(int index, int seconds) {
        commands.send("server " + index + " drain" + (seconds > 0 ? " " + seconds : ""), notice::show);
    }

    /** {@code server N maint}: out by hand, no checks. */
    public void maintenance(int index) {
        commands.send("server " + index + " maint", notice::show);
    }

    /** {@code server N ready}: back to normal after drain or maintenance. */
    public void ready(int index) {
        commands.send("server " + index + " ready", notice::show);
    }

    /** {@code server N close}: every live connection of the server, at once. */
    public void closeAll(int index) {
        commands.send("server " + index + " close", notice::show);
    }

    /**
     * The check editor's result: {@code server N check …} (or {@code check off} for a null check), then
     * {@code server N check_port P slowstart S}, one after the other, stopping at the first refusal; the last
     * reply shows in the notice.
     */
    public void check(int index, io.jpen.core.model.HealthCheck check, int checkPort, int slowstartSeconds) {
        new io.jpen.core.model.ServerOptions(check, checkPort, slowstartSeconds); // refuses a bad port or time here
        commands.sendAll(java.util.List.of(
                "server " + index + " check " + (check == null ? "off" : check.words()),
                "server " + index + " check_port " + checkPort + " slowstart " + slowstartSeconds),
                replies -> notice.show(replies.get(replies.size() - 1)));
    }

    /** {@code server N proxy off|v1|v2}: whether connections to it start with a PROXY header, and which. */
    public void proxy(int index, io.jpen.core.model.ProxyVersion version) {
        commands.send("server " + index + " proxy " + version.word(), notice::show);
    }

    public void blacklist(int index, int seconds) {
        commands.send("server " + index + " blacklist " + seconds, notice::show);
    }

    /** Lifts a blacklist: Pen's way is a blacklist of 0 seconds. */
    public void enable(int index) {
        commands.send("server " + index + " blacklist 0", notice::show);
    }
}
