package io.jpen.gui.model;

import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.HostPort;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Snapshot;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The servers table's rows, one per server in Pen's order plus the emergency server when one is set, and the
 * commands that change them: every edit is a {@code server N ...} line.
 */
public final class ServersModel {
    private final ObservableList<ServerRow> rows = FXCollections.observableArrayList();
    private final Commands commands;
    private ServerRow emergencyRow;

    public ServersModel(Commands commands) {
        this.commands = commands;
    }

    public ObservableList<ServerRow> rows() {
        return rows;
    }

    /** Applies a snapshot: rows are kept and updated; only a changed server count adds or removes rows. */
    public void update(Snapshot s) {
        List<ServerView> servers = s.servers();
        int regular = emergencyRow == null ? rows.size() : rows.size() - 1;
        if (regular > servers.size()) rows.remove(servers.size(), regular);
        if (regular < servers.size()) {
            List<ServerRow> added = new ArrayList<>();
            for (int i = regular; i < servers.size(); i++) added.add(new ServerRow(servers.get(i).index()));
            rows.addAll(regular, added); // before the emergency row, which stays last
        }
        for (int i = 0; i < servers.size(); i++) rows.get(i).update(servers.get(i), s.takenMillis());

        HostPort e = s.settings().emergency();
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

    /** {@code server N address A port P max M hard H weight W prio R}: one command, applied whole or not at all. */
    public void edit(int index, String address, int port, int soft, int hard, int weight, int prio, Consumer<io.jpen.core.model.Reply> onReply) {
        if (address == null || address.isBlank() || address.contains(" ")) {
            throw new IllegalArgumentException("the address must be one word, e.g. 127.0.0.1 or ::1");
        }
        commands.send("server " + index + " address " + address.strip() + " port " + port + " max " + soft + " hard " + hard
                + " weight " + weight + " prio " + prio, onReply);
    }

    /** {@code server N drain} (no new clients; established ones go on) or {@code server N drain S} (closed after S s). */
    public void drain(int index, int seconds, Consumer<io.jpen.core.model.Reply> onReply) {
        commands.send("server " + index + " drain" + (seconds > 0 ? " " + seconds : ""), onReply);
    }

    /** {@code server N maint}: out by hand, no checks. */
    public void maintenance(int index, Consumer<io.jpen.core.model.Reply> onReply) {
        commands.send("server " + index + " maint", onReply);
    }

    /** {@code server N ready}: back to normal after drain or maintenance. */
    public void ready(int index, Consumer<io.jpen.core.model.Reply> onReply) {
        commands.send("server " + index + " ready", onReply);
    }

    /** {@code server N close}: every live connection of the server, at once. */
    public void closeAll(int index, Consumer<io.jpen.core.model.Reply> onReply) {
        commands.send("server " + index + " close", onReply);
    }

    /**
     * The check editor's result: {@code server N check …} (or {@code check off} for a null check), then
     * {@code server N check_port P slowstart S}, one after the other, stopping at the first refusal.
     */
    public void check(int index, io.jpen.core.model.HealthCheck check, int checkPort, int slowstartSeconds,
                      Consumer<java.util.List<io.jpen.core.model.Reply>> onReplies) {
        new io.jpen.core.model.ServerOptions(check, checkPort, slowstartSeconds); // refuses a bad port or time here
        commands.sendAll(java.util.List.of(
                "server " + index + " check " + (check == null ? "off" : check.words()),
                "server " + index + " check_port " + checkPort + " slowstart " + slowstartSeconds), onReplies);
    }

    /** {@code server N proxy off|v1|v2}: whether connections to it start with a PROXY header, and which. */
    public void proxy(int index, io.jpen.core.model.ProxyVersion version, Consumer<io.jpen.core.model.Reply> onReply) {
        commands.send("server " + index + " proxy " + version.word(), onReply);
    }

    public void blacklist(int index, int seconds, Consumer<io.jpen.core.model.Reply> onReply) {
        commands.send("server " + index + " blacklist " + seconds, onReply);
    }

    /** Lifts a blacklist: Pen's way is a blacklist of 0 seconds. */
    public void enable(int index, Consumer<io.jpen.core.model.Reply> onReply) {
        blacklist(index, 0, onReply);
    }
}
