package io.jpen.gui.model;

import io.jpen.core.model.ServerView;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A balancer's servers counted by state, read through the console's one mapping from a snapshot's state to what
 * it means ({@link ServerRow.State} and its {@link Tone}), so the fleet colours a balancer exactly as the Servers
 * view colours its servers, and a state added there is counted here.
 */
public final class ServerStates {
    private ServerStates() {}

    /** Servers per state, in the mapping's order; unused slots left out. */
    public static Map<ServerRow.State, Integer> count(List<ServerView> servers) {
        Map<ServerRow.State, Integer> byState = new EnumMap<>(ServerRow.State.class);
        for (ServerView v : servers) byState.merge(ServerRow.State.of(v.state(), false), 1, Integer::sum);
        byState.remove(ServerRow.State.DISABLED);
        return byState;
    }

    /** "3 up · 1 blacklisted", or "no servers". */
    public static String summary(Map<ServerRow.State, Integer> counts) {
        if (counts.isEmpty()) return "no servers";
        List<String> parts = new ArrayList<>();
        counts.forEach((state, n) -> parts.add(n + " " + state.word()));
        return String.join(" · ", parts);
    }

    /**
     * How the balancer reads: danger when a server fails or none is up to take clients, warning when one needs a
     * look (draining, failing), ok otherwise — a server in maintenance is out on purpose, not wrong.
     */
    public static Tone tone(Map<ServerRow.State, Integer> counts) {
        if (!counts.containsKey(ServerRow.State.UP) && !counts.containsKey(ServerRow.State.FAILING)) return Tone.DANGER;
        Tone worst = Tone.OK;
        for (ServerRow.State s : counts.keySet()) {
            if (s.tone() == Tone.DANGER) return Tone.DANGER;
            if (s.tone() == Tone.WARNING) worst = Tone.WARNING;
        }
        return worst;
    }
}
