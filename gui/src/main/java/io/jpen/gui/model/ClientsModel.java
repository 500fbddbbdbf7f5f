package io.jpen.gui.model;

import io.jpen.core.model.ClientView;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Snapshot;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The balancer's client table: rows keyed by address and updated in place, a text filter, the table's sort order,
 * "top talkers" (the busiest clients by bytes), and the operator's actions on clients: forget (tracking chooses
 * afresh next time), pin to a server, unpin. Each action is the penctl command it stands for.
 */
public final class ClientsModel {
    /** How many clients "top talkers" shows. */
    public static final int TOP = 10;
    static final String NONE = "No clients yet: a client appears here when it first connects";
    private static final Comparator<ClientRow> BALANCER_ORDER = Comparator.comparingInt(ClientRow::connections).reversed()
            .thenComparingLong(r -> r.seenAgo() < 0 ? Long.MAX_VALUE : r.seenAgo());
    private static final Comparator<ClientRow> BY_BYTES = Comparator.comparingLong(ClientRow::bytes).reversed();

    private final Commands commands;
    private final Notice notice;
    private final Map<String, ClientRow> byAddress = new HashMap<>();
    private final LiveList<ClientRow> shown = new LiveList<>();
    private final StringProperty filter = new SimpleStringProperty("");
    private final BooleanProperty topTalkers = new SimpleBooleanProperty();
    private final ReadOnlyBooleanWrapper truncated = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper placeholder = new ReadOnlyStringWrapper(NONE);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ObservableList<String> servers = FXCollections.observableArrayList();
    private Comparator<ClientRow> tableOrder;
    private String needle = "";
    private long tick;

    public ClientsModel(Commands commands, Notice notice) {
        this.commands = commands;
        this.notice = notice;
        filter.addListener((o, a, b) -> {
            needle = b == null ? "" : b.strip().toLowerCase(Locale.ROOT);
            reshow();
        });
        topTalkers.addListener((o, a, b) -> reshow());
    }

    /** What the table shows: matching rows in the chosen order (the top talkers only, when that is on). */
    public ObservableList<ClientRow> view() { return shown; }
    public StringProperty filterProperty() { return filter; }
    /** Shows the {@link #TOP} clients with the most bytes, busiest first, whatever the table's sort order. */
    public BooleanProperty topTalkersProperty() { return topTalkers; }
    public ReadOnlyBooleanProperty truncatedProperty() { return truncated.getReadOnlyProperty(); }
    /** What an empty table says: no clients at all, or none that match the filter. */
    public ReadOnlyStringProperty placeholderProperty() { return placeholder.getReadOnlyProperty(); }
    /** "12 clients, 3 pinned, 2 match". */
    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }
    /** The servers a client can be pinned to, as the pin dialog offers them ("1 · 127.0.0.1:8082 (up)"). */
    public ObservableList<String> serverChoices() { return servers; }
    public Notice notice() { return notice; }

    /** The table's sort order; null for the balancer's (clients with live connections first, then the latest seen). */
    public void sortBy(Comparator<ClientRow> comparator) {
        tableOrder = comparator;
        shown.resort(order());
    }

    private Comparator<ClientRow> order() {
        if (topTalkers.get()) return BY_BYTES.thenComparing(ClientRow::address);
        return (tableOrder == null ? BALANCER_ORDER : tableOrder.thenComparing(BALANCER_ORDER)).thenComparing(ClientRow::address);
    }

    public void update(Snapshot s) {
        truncated.set(s.clientsTruncated());
        List<String> choices = new ArrayList<>();
        for (ServerView v : s.servers()) choices.add(v.index() + " · " + v.address() + ":" + v.port() + " (" + v.state() + ")");
        if (!choices.equals(servers)) servers.setAll(choices);
        long now = ++tick;
        for (ClientView v : s.clients()) {
            ClientRow row = byAddress.get(v.address());
            if (row == null) {
                row = new ClientRow(v, s.takenMillis());
                byAddress.put(v.address(), row);
            } else {
                row.update(v, s.takenMillis());
            }
            row.seenTick = now;
        }
        byAddress.values().removeIf(r -> r.seenTick != now);
        reshow(); // a few thousand rows at most (the snapshot's bound)
    }

    private boolean matches(ClientRow r) {
        return needle.isEmpty() || r.matches(needle);
    }

    /**
     * Brings the shown rows up to date by removing, adding and then permuting, never replacing the list, so the
     * table keeps the operator's selection while rows move (top talkers re-rank every tick).
     */
    private void reshow() {
        List<ClientRow> next = new ArrayList<>();
        for (ClientRow r : byAddress.values()) if (matches(r)) next.add(r);
        next.sort(order());
        if (topTalkers.get() && next.size() > TOP) next = new ArrayList<>(next.subList(0, TOP));
        java.util.Set<ClientRow> want = new java.util.HashSet<>(next);
        List<ClientRow> gone = new ArrayList<>();
        for (ClientRow r : shown) if (!want.contains(r)) gone.add(r);
        if (!gone.isEmpty()) shown.removeAll(gone);
        java.util.Set<ClientRow> have = new java.util.HashSet<>(shown);
        List<ClientRow> added = new ArrayList<>();
        for (ClientRow r : next) if (!have.contains(r)) added.add(r);
        if (!added.isEmpty()) shown.addAll(added);
        shown.resort(order());
        long pinned = byAddress.values().stream().filter(ClientRow::pinned).count();
        String s = byAddress.size() + (byAddress.size() == 1 ? " client" : " clients")
                + (truncated.get() ? " (listing the busiest)" : "") + (pinned > 0 ? ", " + pinned + " pinned" : "");
        if (!needle.isEmpty()) s += ", " + next.size() + " match";
        summary.set(s);
        placeholder.set(needle.isEmpty() || byAddress.isEmpty() ? NONE
                : "No client matches “" + filter.get().strip() + "” (" + byAddress.size()
                + (byAddress.size() == 1 ? " client" : " clients") + " in the table; clear the filter to see them)");
    }

    /** Forgets each client ({@code client A forget}): its next connection is chosen afresh. */
    public void forget(List<String> addresses) {
        each(addresses, a -> "client " + a + " forget", "forgot");
    }

    /** Hands each pinned client back to tracking ({@code client A unpin}); says so when none of them is pinned. */
    public void unpin(List<ClientRow> rows) {
        List<String> pinned = rows.stream().filter(ClientRow::pinned).map(ClientRow::address).toList();
        if (pinned.isEmpty() && !rows.isEmpty()) {
            notice.show(rows.size() == 1 ? "client " + rows.get(0).address() + " is not pinned" : "none of these clients is pinned", Tone.WARNING);
            return;
        }
        each(pinned, a -> "client " + a + " unpin", "unpinned");
    }

    /**
     * Why {@code choice} (what the pin dialog gave: "1 · 127.0.0.1:8082 (up)" or a typed "1") cannot be a server to
     * pin to, or null when it can.
     */
    public String pinProblem(String choice) {
        if (choice == null || choice.isBlank()) return "choose a server to pin to";
        String number = choice.strip().split("[^0-9]", 2)[0];
        if (number.isEmpty()) return "'" + choice.strip() + "' is not a server number";
        int n;
        try {
            n = Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return "'" + number + "' is not a server number";
        }
        if (n >= servers.size()) {
            return "there is no server " + n + (servers.isEmpty() ? "" : " (servers are 0-" + (servers.size() - 1) + ")");
        }
        return null;
    }

    /** Pins each client to the server {@code choice} names; a bad choice is said in the notice and nothing is sent. */
    public void pin(List<String> addresses, String choice) {
        if (addresses.isEmpty()) return;
        String problem = pinProblem(choice);
        if (problem != null) {
            notice.show("pin: " + problem, Tone.DANGER);
            return;
        }
        String server = choice.strip().split("[^0-9]", 2)[0];
        each(addresses, a -> "client " + a + " pin " + server, "pinned to server " + server);
    }

    private void each(List<String> addresses, java.util.function.Function<String, String> line, String done) {
        if (addresses.isEmpty()) return;
        int[] answered = {0};
        int[] failed = {0};
        String[] refusal = {""};
        for (String a : addresses) {
            commands.send(line.apply(a), r -> {
                answered[0]++;
                if (!r.ok()) {
                    failed[0]++;
                    refusal[0] = r.text().strip();
                }
                if (addresses.size() == 1) {
                    notice.show(r);
                } else if (answered[0] == addresses.size()) {
                    notice.show(done + " " + (answered[0] - failed[0]) + " of " + addresses.size() + " clients"
                            + (failed[0] > 0 ? " (" + failed[0] + " refused: " + refusal[0] + ")" : ""),
                            failed[0] == 0 ? Tone.OK : Tone.DANGER);
                }
            });
        }
    }

    /** The row for {@code address}, shown or not (for tests). */
    ClientRow row(String address) {
        return byAddress.get(address);
    }
}
