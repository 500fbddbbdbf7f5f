package io.jpen.gui.app;

import io.jpen.core.console.Console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the console window is showing: a {@link Console} and whatever was started to serve it (an in-process
 * engine, demo servers, demo load), closed together, newest first.
 */
public final class Session implements AutoCloseable {
    private final String kind;
    private final Console console;
    private final List<AutoCloseable> owned;
    private final Map<String, String> serverNames;

    public Session(String kind, Console console, List<AutoCloseable> owned) {
        this(kind, console, owned, Map.of());
    }

    /** @param serverNames what this session calls its servers, by "address:port" (the demo names its own) */
    public Session(String kind, Console console, List<AutoCloseable> owned, Map<String, String> serverNames) {
        this.kind = kind;
        this.console = console;
        this.owned = new ArrayList<>(owned);
        this.serverNames = Map.copyOf(serverNames);
    }

    /** "demo", "local" or "attach". */
    public String kind() { return kind; }

    public Console console() { return console; }

    /** Names for some servers by "address:port" ("alpha"); empty when the session knows none. */
    public Map<String, String> serverNames() { return serverNames; }

    @Override
    public void close() {
        try {
            console.close();
        } finally {
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(Session.class).warn("closing {} failed", owned.get(i), e);
                }
            }
        }
    }
}
