package io.jpen.gui.app;

import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * The remote jpen APIs the user attached to, newest first, remembered across runs with java.util.prefs.
 * Tokens are not remembered: they are secrets, and the preferences store is a plain file.
 */
public final class RecentTargets {
    static final int KEEP = 8;
    private final Preferences node;

    public RecentTargets() {
        this(Preferences.userRoot().node("io/jpen/console/recent"));
    }

    public RecentTargets(Preferences node) {
        this.node = node;
    }

    public List<String> list() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < KEEP; i++) {
            String v = node.get(Integer.toString(i), null);
            if (v != null && !v.isBlank()) out.add(v);
        }
        return out;
    }

    /** Puts {@code url} first, dropping an older copy and the oldest beyond {@link #KEEP}. */
    public void remember(String url) {
        List<String> next = new ArrayList<>(list());
        next.remove(url);
        next.add(0, url);
        for (int i = 0; i < KEEP; i++) {
            if (i < next.size()) node.put(Integer.toString(i), next.get(i));
            else node.remove(Integer.toString(i));
        }
        try {
            node.flush();
        } catch (BackingStoreException e) {
            org.slf4j.LoggerFactory.getLogger(RecentTargets.class).warn("cannot save recent targets: {}", e.getMessage());
        }
    }
}
