package io.jpen.gui.model;

import io.jpen.core.model.Reply;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Snapshot;
import io.jpen.gui.fx.FxThread;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Commands for several balancers at once: one command line run on each chosen balancer, or one action on a
 * server known by the same address on several (each balancer numbers its servers its own way, so each gets its
 * own {@code server N …} line). Every line goes through that balancer's own transcript, as if typed in its penctl
 * view; the replies come back together, one per balancer.
 */
public final class FleetCommands {
    /** The lifecycle actions on a server; their command words are those of the engine's {@code server N …}. */
    public enum ServerAction {
        DRAIN("Drain", "drain"), MAINTENANCE("Maintenance", "maint"), READY("Ready", "ready"),
        BLACKLIST("Blacklist 60 s", "blacklist 60"), REENABLE("Re-enable", "blacklist 0");

        public final String label;
        public final String words;

        ServerAction(String label, String words) {
            this.label = label;
            this.words = words;
        }
    }

    /** One balancer's reply to a fleet command. */
    public record Outcome(String balancer, String line, boolean ok, String reply) {}

    /** A server as one balancer numbers it. */
    public record ServerOn(FleetMember member, int index) {}

    private final ObservableList<FleetMember> members;
    private final FxThread fx;
    private final ObservableList<Outcome> outcomes = FXCollections.observableArrayList();

    FleetCommands(ObservableList<FleetMember> members, FxThread fx) {
        this.members = members;
        this.fx = fx;
    }

    /** The replies of the last fleet command, one per balancer, in the sidebar's order. */
    public ObservableList<Outcome> outcomes() {
        return outcomes;
    }

    /** The balancers chosen for fleet commands (ticked) that are open. */
    public List<FleetMember> chosen() {
        return members.stream().filter(m -> m.chosenProperty().get() && m.console() != null).toList();
    }

    /** Runs {@code line} on each of {@code targets}; {@code onDone} gets every reply (FX thread). */
    public void runOnEach(List<FleetMember> targets, String line, Consumer<List<Outcome>> onDone) {
        List<Send> sends = new ArrayList<>();
        for (FleetMember m : targets) sends.add(new Send(m, line));
        run(sends, onDone);
    }

    /** Every server address known to the open balancers, with where it is: "10.0.0.11:80" → its places. */
    public Map<String, List<ServerOn>> servers() {
        Map<String, List<ServerOn>> byAddress = new TreeMap<>();
        for (FleetMember m : members) {
            Snapshot s = m.console() == null ? null : m.console().latest();
            if (s == null) continue;
            for (ServerView v : s.servers()) {
                if ("disabled".equals(v.state())) continue;
                byAddress.computeIfAbsent(v.address() + ":" + v.port(), k -> new ArrayList<>()).add(new ServerOn(m, v.index()));
            }
        }
        return byAddress;
    }

    /** Where the server {@code address} (host:port) is, on the open balancers. */
    public List<ServerOn> placesOf(String address) {
        return servers().getOrDefault(address, List.of());
    }

    /** {@code server N WORDS} on every balancer that has the server {@code address}. */
    public void onServer(String address, String words, Consumer<List<Outcome>> onDone) {
        onPlaces(placesOf(address), words, onDone);
    }

    /** {@code server N WORDS} on each of the given places (those a confirmation named). */
    public void onPlaces(List<ServerOn> places, String words, Consumer<List<Outcome>> onDone) {
        List<Send> sends = new ArrayList<>();
        for (ServerOn p : places) sends.add(new Send(p.member(), "server " + p.index() + " " + words));
        run(sends, onDone);
    }

    private record Send(FleetMember member, String line) {}

    private void run(List<Send> sends, Consumer<List<Outcome>> onDone) {
        outcomes.clear();
        Outcome[] results = new Outcome[sends.size()];
        AtomicInteger left = new AtomicInteger(sends.size());
        if (sends.isEmpty() && onDone != null) onDone.accept(List.of());
        for (int i = 0; i < sends.size(); i++) {
            int at = i;
            Send s = sends.get(i);
            String who = s.member().nameProperty().get();
            Consumer<Reply> collect = r -> {
                results[at] = new Outcome(who, s.line(), r.ok(), r.text().strip());
                if (left.decrementAndGet() == 0) {
                    outcomes.setAll(results);
                    if (onDone != null) onDone.accept(List.of(results));
                }
            };
            if (s.member().model() == null) {
                fx.run(() -> collect.accept(Reply.error("not attached")));
            } else {
                s.member().model().commands().send(s.line(), collect);
            }
        }
    }
}
