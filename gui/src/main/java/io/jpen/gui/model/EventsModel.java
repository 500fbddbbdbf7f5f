package io.jpen.gui.model;

import io.jpen.core.model.Reasons;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The event log: new engine events appended as they arrive (told apart by the snapshot's event sequence), and
 * what only the console can tell — lost and restored contact, a restart of the balancer (with the run-time settings
 * it lost). The operator narrows it by kind and by a search text, copies rows and exports what is shown.
 */
public final class EventsModel {
    private static final int KEEP = 5000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    /** Kinds the console itself records. */
    public static final String CONTACT = "contact";
    public static final String RESTART = "restart";
    static final String NONE = "No events yet";

    /** One event as the log shows it, with the tone of its kind. */
    public record Row(String time, String kind, String message, Tone tone, long millis) {
        /** {@code 2026-12-06 16:31:02  server-state  server 1 …}: one line of the plain-text export and of a copy. */
        public String line() {
            return FULL.format(Instant.ofEpochMilli(millis)) + "  " + kind + "  " + message;
        }
    }

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final FilteredList<Row> shown = new FilteredList<>(rows);
    private final ObservableList<String> kinds = FXCollections.observableArrayList();
    private final Set<String> hidden = new HashSet<>();
    private final StringProperty search = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper placeholder = new ReadOnlyStringWrapper(NONE);
    private long sequence = -1;
    private Snapshot previous;

    public EventsModel() {
        search.addListener((o, a, b) -> refilter());
        rows.addListener((javafx.collections.ListChangeListener<Row>) c -> explainEmpty());
    }

    /** Every event kept, oldest first. */
    public ObservableList<Row> rows() { return rows; }
    /** The events of the kinds shown that match the search text. */
    public ObservableList<Row> view() { return shown; }
    /** The kinds seen so far, in alphabetical order (a new kind is shown until the operator hides it). */
    public ObservableList<String> kinds() { return kinds; }
    public StringProperty searchProperty() { return search; }
    /** What an empty log says: nothing happened yet, or nothing matches the kinds and text chosen. */
    public ReadOnlyStringProperty placeholderProperty() { return placeholder.getReadOnlyProperty(); }

    public boolean showing(String kind) {
        return !hidden.contains(kind);
    }

    /** Shows or hides the events of {@code kind}. */
    public void show(String kind, boolean on) {
        if (on ? hidden.remove(kind) : hidden.add(kind)) refilter();
    }

    public void update(Snapshot s) {
        if (previous != null && s.startedMillis() != previous.startedMillis() && s.startedMillis() > 0) {
            note(RESTART, restarted(previous, s), s.takenMillis());
        }
        previous = s;
        List<Snapshot.EventView> events = s.events();
        long fresh = sequence < 0 || s.eventSequence() < sequence ? events.size() : s.eventSequence() - sequence;
        sequence = s.eventSequence();
        if (fresh <= 0) return;
        List<Row> added = new ArrayList<>();
        for (Snapshot.EventView e : events.subList((int) Math.max(0, events.size() - fresh), events.size())) {
            // a balancer of an older version may still put exception text in its events: never show a class name
            added.add(row(e.millis(), e.kind(), Reasons.plain(e.message())));
        }
        add(added);
    }

    /** An event the console itself saw (contact lost or restored). */
    public void note(String kind, String message, long millis) {
        add(List.of(row(millis, kind, message)));
    }

    /** Contact with the balancer went or came back: {@code why} is what the console last heard (may be empty). */
    public void contact(boolean ok, String target, String why, long millis) {
        String message = ok ? "contact with " + target + " restored"
                : "lost contact with " + target + (why == null || why.isBlank() ? "" : ": " + Reasons.plain(why));
        add(List.of(new Row(TIME.format(Instant.ofEpochMilli(millis)), CONTACT, message, ok ? Tone.OK : Tone.DANGER, millis)));
    }

    private Row row(long millis, String kind, String message) {
        return new Row(TIME.format(Instant.ofEpochMilli(millis)), kind, message, tone(kind), millis);
    }

    private void add(List<Row> added) {
        for (Row r : added) {
            int at = java.util.Collections.binarySearch(kinds, r.kind());
            if (at < 0) kinds.add(-at - 1, r.kind());
        }
        rows.addAll(added);
        if (rows.size() > KEEP) rows.remove(0, rows.size() - KEEP);
    }

    private void refilter() {
        String needle = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        Set<String> off = Set.copyOf(hidden);
        shown.setPredicate(r -> !off.contains(r.kind()) && (needle.isEmpty()
                || r.message().toLowerCase(Locale.ROOT).contains(needle) || r.kind().contains(needle)));
        explainEmpty();
    }

    private void explainEmpty() {
        String needle = search.get() == null ? "" : search.get().strip();
        if (rows.isEmpty()) placeholder.set(NONE);
        else if (!needle.isEmpty()) placeholder.set("No event matches “" + needle + "”" + (hidden.isEmpty() ? "" : " among the kinds shown")
                + " (" + rows.size() + " in the log; clear the search to see them)");
        else placeholder.set("No events of the kinds shown (" + rows.size() + " in the log; tick more kinds to see them)");
    }

    /** The rows as plain text, one {@link Row#line()} each. */
    public static String text(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        for (Row r : rows) b.append(r.line()).append('\n');
        return b.toString();
    }

    /** The rows as CSV (RFC 4180: a header, fields quoted where they need it, CRLF line ends). */
    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder("time,kind,message\r\n");
        for (Row r : rows) {
            b.append(csvField(FULL.format(Instant.ofEpochMilli(r.millis())))).append(',').append(csvField(r.kind()))
                    .append(',').append(csvField(r.message())).append("\r\n");
        }
        return b.toString();
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Writes the events shown to {@code file}: CSV when its name ends in .csv, plain text otherwise. Returns how many. */
    public int export(Path file) throws IOException {
        List<Row> out = List.copyOf(shown);
        boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        Files.writeString(file, csv ? csv(out) : text(out), StandardCharsets.UTF_8);
        return out.size();
    }

    /**
     * The balancer started again since the last snapshot: what was set at run time (penctl, the API, this console)
     * and not saved in its config file is gone, so say which settings now differ.
     */
    static String restarted(Snapshot before, Snapshot after) {
        StringBuilder b = new StringBuilder("the balancer restarted (up since ")
                .append(FULL.format(Instant.ofEpochMilli(after.startedMillis()))).append(")");
        List<String> changed = new ArrayList<>(settingsChanges(before.settings(), after.settings()));
        changed.addAll(serverChanges(before.servers(), after.servers()));
        if (changed.isEmpty()) return b.append("; its settings are as they were").toString();
        b.append("; its run-time settings were reset: ");
        b.append(String.join(", ", changed.subList(0, Math.min(changed.size(), 8))));
        if (changed.size() > 8) b.append(" and ").append(changed.size() - 8).append(" more");
        return b.toString();
    }

    /** "blacklist 17 → 30" for each setting that differs, named as Pen's command language names it. */
    private static List<String> settingsChanges(Settings a, Settings b) {
        List<String> out = new ArrayList<>();
        if (a == null || b == null) return out;
        for (java.lang.reflect.RecordComponent c : Settings.class.getRecordComponents()) {
            try {
                Object x = c.getAccessor().invoke(a);
                Object y = c.getAccessor().invoke(b);
                if (!Objects.equals(x, y)) out.add(penWord(c.getName()) + " " + word(x) + " → " + word(y));
            } catch (ReflectiveOperationException e) {
                // a component that cannot be read is one we cannot compare; the others still are
            }
        }
        return out;
    }

    /** A setting's name in Pen's words: blacklistSeconds is "blacklist", connMax "conn_max". */
    static String penWord(String component) {
        if (component.equals("fastClose")) return "tcp_fastclose";
        String name = component.endsWith("Seconds") ? component.substring(0, component.length() - "Seconds".length())
                : component;
        StringBuilder b = new StringBuilder(name.length() + 4);
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) b.append('_').append(Character.toLowerCase(ch));
            else b.append(ch);
        }
        return b.toString();
    }

    private static String word(Object v) {
        if (v == null) return "none";
        if (v instanceof Boolean on) return on ? "on" : "off";
        return String.valueOf(v);
    }

    /** "server 1 weight 5 → 1", and servers that are new or gone. */
    private static List<String> serverChanges(List<ServerView> a, List<ServerView> b) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i >= b.size()) {
                out.add("server " + i + " gone");
                continue;
            }
            if (i >= a.size()) {
                out.add("server " + i + " new");
                continue;
            }
            ServerView x = a.get(i);
            ServerView y = b.get(i);
            String name = "server " + i;
            if (!x.address().equals(y.address()) || x.port() != y.port()) {
                out.add(name + " " + x.address() + ":" + x.port() + " → " + y.address() + ":" + y.port());
            }
            if (x.weight() != y.weight()) out.add(name + " weight " + x.weight() + " → " + y.weight());
            if (x.prio() != y.prio()) out.add(name + " prio " + x.prio() + " → " + y.prio());
            if (x.soft() != y.soft()) out.add(name + " max " + x.soft() + " → " + y.soft());
            if (x.hard() != y.hard()) out.add(name + " hard " + x.hard() + " → " + y.hard());
        }
        return out;
    }

    /** What an event of this kind means for the operator. */
    static Tone tone(String kind) {
        return switch (kind == null ? "" : kind) {
            case "server-failed", "rollback" -> Tone.DANGER;
            case "refused", "control-denied", "tls", "http", "idle", RESTART -> Tone.WARNING;
            case "server-back" -> Tone.OK;
            case "listen", "role", "action", CONTACT -> Tone.ACCENT;
            default -> Tone.PLAIN;
        };
    }
}
