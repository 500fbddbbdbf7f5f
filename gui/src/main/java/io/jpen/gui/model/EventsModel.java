package io.jpen.gui.model;

import io.jpen.core.model.Reasons;
import io.jpen.core.model.Snapshot;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The event log: new engine events appended as they arrive (told apart by the snapshot's event sequence). */
public final class EventsModel {
    private static final int KEEP = 5000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** One event as the log shows it, with the tone of its kind. */
    public record Row(String time, String kind, String message, Tone tone) {}

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private long sequence = -1;

    public ObservableList<Row> rows() {
        return rows;
    }

    public void update(Snapshot s) {
        List<Snapshot.EventView> events = s.events();
        long fresh = sequence < 0 || s.eventSequence() < sequence ? events.size() : s.eventSequence() - sequence;
        sequence = s.eventSequence();
        if (fresh <= 0) return;
        List<Row> added = new ArrayList<>();
        for (Snapshot.EventView e : events.subList((int) Math.max(0, events.size() - fresh), events.size())) {
            // a balancer of an older version may still put exception text in its events: never show a class name
            added.add(new Row(TIME.format(Instant.ofEpochMilli(e.millis())), e.kind(), Reasons.plain(e.message()), tone(e.kind())));
        }
        rows.addAll(added);
        if (rows.size() > KEEP) rows.remove(0, rows.size() - KEEP);
    }

    /** What an event of this kind means for the operator. */
    static Tone tone(String kind) {
        return switch (kind == null ? "" : kind) {
            case "server-failed", "rollback" -> Tone.DANGER;
            case "refused", "control-denied", "tls", "http", "idle" -> Tone.WARNING;
            case "server-back" -> Tone.OK;
            case "listen", "role" -> Tone.ACCENT;
            default -> Tone.PLAIN;
        };
    }
}
