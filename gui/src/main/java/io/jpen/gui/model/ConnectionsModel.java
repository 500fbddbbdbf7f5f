package io.jpen.gui.model;

import io.jpen.core.control.Reply;
import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.Snapshot;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The live connections: rows keyed by connection id, updated in place, with a text filter, a sort the table
 * controls, a pause switch, and closing (one {@code close N} per connection).
 */
public final class ConnectionsModel {
    private final Commands commands;
    private final ObservableList<ConnectionRow> rows = FXCollections.observableArrayList();
    private final Map<Integer, ConnectionRow> byId = new HashMap<>();
    private final FilteredList<ConnectionRow> filtered = new FilteredList<>(rows);
    private final SortedList<ConnectionRow> sorted = new SortedList<>(filtered);
    private final StringProperty filter = new SimpleStringProperty("");
    private final BooleanProperty paused = new SimpleBooleanProperty();
    private final ReadOnlyIntegerWrapper total = new ReadOnlyIntegerWrapper();
    private final ReadOnlyBooleanWrapper truncated = new ReadOnlyBooleanWrapper();
    private Comparator<ConnectionRow> order;
    private long tick;

    public ConnectionsModel(Commands commands) {
        this.commands = commands;
        filter.addListener((o, a, b) -> applyFilter());
    }

    /** What the table shows: filtered, then sorted by {@link #sortBy}. */
    public SortedList<ConnectionRow> view() { return sorted; }
    public ObservableList<ConnectionRow> rows() { return rows; }
    public StringProperty filterProperty() { return filter; }
    public BooleanProperty pausedProperty() { return paused; }
    /** Live connections in the balancer (the list may show fewer: a snapshot lists a bounded number). */
    public ReadOnlyIntegerProperty totalProperty() { return total.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty truncatedProperty() { return truncated.getReadOnlyProperty(); }

    /** The table's sort order; null for the balancer's order (newest first). */
    public void sortBy(Comparator<ConnectionRow> comparator) {
        order = comparator;
        sorted.setComparator(comparator == null ? null : comparator::compare);
    }

    public void update(Snapshot s) {
        total.set(s.totals().connections());
        truncated.set(s.connectionsTruncated());
        if (paused.get()) return;
        long now = ++tick;
        List<ConnectionRow> added = new ArrayList<>();
        for (ConnectionView v : s.connections()) {
            ConnectionRow row = byId.get(v.id());
            if (row == null) {
                row = new ConnectionRow(v);
                byId.put(v.id(), row);
                added.add(row);
            } else {
                row.update(v);
            }
            row.seenTick = now;
        }
        if (byId.size() - added.size() > 0 && byId.size() > s.connections().size()) {
            // one removal change for all ended connections, not one per row
            rows.removeIf(r -> {
                if (r.seenTick == now) return false;
                byId.remove(r.id());
                return true;
            });
        }
        if (!added.isEmpty()) {
            // the snapshot lists newest first; keep that order at the top of an unsorted table
            rows.addAll(0, added);
        }
        // values changed in place: re-apply the sort once per tick rather than on every property change
        if (order != null) sorted.setComparator(order::compare);
    }

    private void applyFilter() {
        String needle = filter.get() == null ? "" : filter.get().strip().toLowerCase(Locale.ROOT);
        filtered.setPredicate(needle.isEmpty() ? null : r -> r.matches(needle));
    }

    /** Closes each connection: one {@code close N} per id, each reply to {@code onReply}. */
    public void close(List<Integer> ids, Consumer<Reply> onReply) {
        for (int id : ids) commands.send("close " + id, onReply);
    }
}
