package io.jpen.gui.model;

import io.jpen.core.model.ServerView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Servers counted by state, with one mapping from a state's name to how it reads. The engine's states today are
 * up, blacklisted and disabled (an unused slot); the lifecycle states drain, maint and down slot in here by name,
 * and a state this console does not know yet is counted under its own name and read as needing attention.
 */
public final class ServerStates {
    private ServerStates() {}

    /** How a state reads: fine, taken out on purpose, wrong, or not in use. */
    public enum Health { OK, ATTENTION, WRONG, UNUSED }

    /** The order counts are shown in: serving first, then taken out by hand, then failing. */
    private static final List<String> ORDER = List.of("up", "drain", "maint", "down", "blacklisted", "disabled");

    public static Health health(String state) {
        return switch (state == null ? "" : state.toLowerCase(Locale.ROOT)) {
            case "up" -> Health.OK;
            case "down", "blacklisted" -> Health.WRONG;
            case "disabled" -> Health.UNUSED;
            default -> Health.ATTENTION; // drain, maint, and anything newer
        };
    }

    /** Servers per state, in {@link #ORDER} (unknown states after, as they come); unused slots left out. */
    public static Map<String, Integer> count(List<ServerView> servers) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (String s : ORDER) byState.put(s, 0);
        for (ServerView v : servers) {
            String s = v.state() == null ? "unknown" : v.state().toLowerCase(Locale.ROOT);
            byState.merge(s, 1, Integer::sum);
        }
        byState.values().removeIf(n -> n == 0);
        byState.remove("disabled");
        return byState;
    }

    /** "3 up · 1 blacklisted", or "no servers". */
    public static String summary(Map<String, Integer> counts) {
        if (counts.isEmpty()) return "no servers";
        List<String> parts = new ArrayList<>();
        counts.forEach((state, n) -> parts.add(n + " " + state));
        return String.join(" · ", parts);
    }

    /** The worst health among the counted states. */
    public static Health worst(Map<String, Integer> counts) {
        Health worst = Health.OK;
        for (String s : counts.keySet()) {
            Health h = health(s);
            if (h == Health.WRONG) return Health.WRONG;
            if (h == Health.ATTENTION) worst = Health.ATTENTION;
        }
        return worst;
    }
}
