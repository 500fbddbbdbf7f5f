package io.jpen.gui.model;

import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.Snapshot;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The live connections: rows keyed by connection id and updated in place, a text filter, the table's sort order,
 * a pause switch, and closing (one {@code close N} per connection).
 *
 * <p>The list the table shows is kept here by hand rather than through FilteredList and SortedList: those
 * re-index the whole list for every added or removed row, which with 10,000 rows and a few hundred
 * connections starting and ending per tick cost over 100 ms of the FX thread. Here a tick is one removal change
 * (rows that ended or stopped matching), one addition change (rows that started or began matching), and, when
 * sorted and something moved, one permutation change ({@link LiveList}), which the table turns into moved rows
 * without losing the selection.
 */
public final class ConnectionsModel {
    /** The balancer's own order: newest first. */
    private static final Comparator<ConnectionRow> NEWEST_FIRST = Comparator.comparingInt(ConnectionRow::id).reversed();

    private final Commands commands;
    private final Map<Integer, ConnectionRow> byId = new HashMap<>();
    private final LiveList<ConnectionRow> shown = new LiveList<>();
    private final StringProperty filter = new SimpleStringProperty("");
    private final BooleanProperty paused = new SimpleBooleanProperty();
    private final ReadOnlyIntegerWrapper total = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper listed = new ReadOnlyIntegerWrapper();
    private final ReadOnlyBooleanWrapper truncated = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper placeholder = new ReadOnlyStringWrapper(NONE_LIVE);
    private final Notice notice;
    /** The connection whose story the detail pane shows (-1 for none), the story, and whether an answer is awaited. */
    private final ReadOnlyIntegerWrapper selected = new ReadOnlyIntegerWrapper(-1);
    private final javafx.beans.property.ReadOnlyObjectWrapper<io.jpen.core.model.ConnectionDetail> detail =
            new javafx.beans.property.ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper detailText = new ReadOnlyStringWrapper(NOTHING_SELECTED);
    private boolean asking;
    /** The story is complete (the connection closed) or cannot be had: no more questions about it. */
    private boolean settled;
    private Comparator<ConnectionRow> order = NEWEST_FIRST;
    private String needle = "";
    private long tick;

    static final String NONE_LIVE = "No live connections";
    static final String NOTHING_SELECTED = "Select a connection to see its story: where it went and why, how long, how much.";

    /** @param notice where the answers to closing connections show */
    public ConnectionsModel(Commands commands, Notice notice) {
        this.commands = commands;
        this.notice = notice;
        filter.addListener((o, a, b) -> {
            needle = b == null ? "" : b.strip().toLowerCase(Locale.ROOT);
            reshow();
        });
    }

    /** What the table shows: matching rows in the chosen order. */
    public ObservableList<ConnectionRow> view() { return shown; }
    public StringProperty filterProperty() { return filter; }
    public BooleanProperty pausedProperty() { return paused; }
    /** Live connections in the balancer (the list may show fewer: a snapshot lists a bounded number). */
    public ReadOnlyIntegerProperty totalProperty() { return total.getReadOnlyProperty(); }
    /** Connections the last snapshot listed (before filtering). */
    public ReadOnlyIntegerProperty listedProperty() { return listed.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty truncatedProperty() { return truncated.getReadOnlyProperty(); }
    /** What an empty table says: no connections at all, or none that match the filter. */
    public ReadOnlyStringProperty placeholderProperty() { return placeholder.getReadOnlyProperty(); }
    /** The answer to the last close; it clears after a while. */
    public Notice notice() { return notice; }

    /** The connection whose story the detail pane shows, -1 for none. */
    public ReadOnlyIntegerProperty selectedProperty() { return selected.getReadOnlyProperty(); }
    /** The selected connection's story as last fetched (null before the first answer). */
    public javafx.beans.property.ReadOnlyObjectProperty<io.jpen.core.model.ConnectionDetail> detailProperty() { return detail.getReadOnlyProperty(); }
    /** The story line by line, or what there is to say instead. */
    public ReadOnlyStringProperty detailTextProperty() { return detailText.getReadOnlyProperty(); }

    /** Shows connection {@code id}'s story (-1: none); it is fetched now and again at each tick while it is open. */
    public void select(int id) {
        if (id == selected.get()) return;
        selected.set(id);
        detail.set(null);
        settled = false;
        detailText.set(id < 0 ? NOTHING_SELECTED : "asking about connection " + id + "…");
        if (id >= 0) ask(id);
    }

    private void ask(int id) {
        asking = true;
        commands.connection(id, (d, why) -> {
            asking = false;
            if (selected.get() != id) return; // another was selected meanwhile
            if (d == null) {
                settled = true;
                detailText.set(why);
                return;
            }
            settled = d.closedMillis() > 0;
            detail.set(d);
            detailText.set("Connection " + d.id() + "\n" + String.join("\n", d.timeline()));
        });
    }

    /** The table's sort order; null for the balancer's order (newest first). */
    public void sortBy(Comparator<ConnectionRow> comparator) {
        order = comparator == null ? NEWEST_FIRST : comparator.thenComparing(NEWEST_FIRST);
        shown.resort(order);
    }

    public void update(Snapshot s) {
        // the selected story follows the connection until it ends (one question at a time)
        if (selected.get() >= 0 && !asking && !settled && !paused.get()) ask(selected.get());
        total.set(s.totals().connections());
        truncated.set(s.connectionsTruncated());
        if (paused.get()) return;
        long now = ++tick;
        List<ConnectionRow> appear = new ArrayList<>();
        for (ConnectionView v : s.connections()) {
            ConnectionRow row = byId.get(v.id());
            if (row == null) {
                row = new ConnectionRow(v);
                byId.put(v.id(), row);
            } else {
                row.update(v);
            }
            row.seenTick = now;
            if (!row.shown && matches(row)) appear.add(row);
        }
        Set<ConnectionRow> vanish = new HashSet<>(); // removeAll asks contains() once per shown row
        if (byId.size() > s.connections().size()) {
            byId.values().removeIf(r -> {
                if (r.seenTick == now) return false;
                if (r.shown) vanish.add(r);
                return true;
            });
        }
        for (ConnectionRow r : shown) {
            if (r.seenTick == now && !matches(r)) vanish.add(r); // its state or server changed under the filter
        }
        listed.set(byId.size());
        if (!vanish.isEmpty()) {
            for (ConnectionRow r : vanish) r.shown = false;
            shown.removeAll(vanish);
        }
        if (!appear.isEmpty()) {
            for (ConnectionRow r : appear) r.shown = true;
            if (order == NEWEST_FIRST) {
                appear.sort(NEWEST_FIRST);
                shown.addAll(0, appear);
            } else {
                shown.addAll(appear);
            }
        }
        // values changed in place, so the order may have too; newest-first only changes by additions at the top
        if (order != NEWEST_FIRST) shown.resort(order);
        explainEmpty();
    }

    private void explainEmpty() {
        placeholder.set(needle.isEmpty() || byId.isEmpty() ? NONE_LIVE
                : "No connection matches “" + filter.get().strip() + "” (" + byId.size() + " live; clear the filter to see them)");
    }

    private boolean matches(ConnectionRow r) {
        return needle.isEmpty() || r.matches(needle);
    }

    /** After a filter change: the matching rows, in order. */
    private void reshow() {
        List<ConnectionRow> next = new ArrayList<>();
        for (ConnectionRow r : byId.values()) {
            r.shown = matches(r);
            if (r.shown) next.add(r);
        }
        next.sort(order);
        shown.setAll(next);
        explainEmpty();
    }

    /**
     * Closes each connection (one {@code close N} per id) and sums the replies up in the notice: the balancer's
     * own answer for one connection, "closed N of M" for several.
     */
    public void close(List<Integer> ids) {
        if (ids.isEmpty()) return;
        notice.show("closing " + ids.size() + "…", Tone.MUTED);
        int[] done = {0};
        int[] failed = {0};
        for (int id : ids) {
            commands.send("close " + id, r -> {
                done[0]++;
                if (!r.ok()) failed[0]++;
                if (ids.size() == 1) {
                    notice.show(r);
                } else {
                    notice.show("closed " + (done[0] - failed[0]) + " of " + ids.size()
                            + (failed[0] > 0 ? " (" + failed[0] + " refused: " + r.text().strip() + ")" : ""),
                            failed[0] == 0 ? Tone.OK : Tone.DANGER);
                }
            });
        }
    }

    /** Every row known, shown or not (for tests). */
    List<ConnectionRow> rows() {
        return Collections.unmodifiableList(new ArrayList<>(byId.values()));
    }
}
