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
    private Comparator<ConnectionRow> order = NEWEST_FIRST;
    private String needle = "";
    private long tick;

    static final String NONE_LIVE = "No live connections";

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

    /** The table's sort order; null for the balancer's order (newest first). */
    public void sortBy(Comparator<ConnectionRow> comparator) {
        order = comparator == null ? NEWEST_FIRST : comparator.thenComparing(NEWEST_FIRST);
        shown.resort(order);
    }

    public void update(Snapshot s) {
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
