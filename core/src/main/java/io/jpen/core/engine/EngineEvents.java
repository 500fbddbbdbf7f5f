package io.jpen.core.engine;

import io.jpen.core.model.Reasons;
import io.jpen.core.select.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened that an operator cares about (a server failed, a client was refused, a setting changed): logged,
 * and kept in a small ring for the console's event log.
 */
public final class EngineEvents {
    private static final Logger log = LoggerFactory.getLogger("jpen");
    private static final int KEEP = 500;

    /** One event: when (epoch millis), a kind, and a human sentence. */
    public record Event(long millis, String kind, String message) {}

    private final InstantSource clock;
    private final ArrayDeque<Event> recent = new ArrayDeque<>();
    private long sequence;

    public EngineEvents(InstantSource clock) {
        this.clock = clock;
    }

    public void add(String kind, String message) {
        synchronized (recent) {
            if (recent.size() == KEEP) recent.removeFirst();
            recent.addLast(new Event(clock.millis(), kind, message));
            sequence++;
        }
    }

    /** The events kept, oldest first. */
    public List<Event> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** How many events have ever been added; lets a reader tell what is new. */
    public long sequence() {
        synchronized (recent) {
            return sequence;
        }
    }

    void refused(SocketAddress client, String why) {
        if (log.isDebugEnabled()) log.debug("refused {}: {}", client, why);
        add("refused", "client " + client + " refused: " + why);
    }

    void serverFailed(int target, SocketAddress address, Throwable cause) {
        // in words ("connection refused by 127.0.0.1:8083"), never the exception's class: operators read this
        String peer = address == null ? null : Reasons.peer(address);
        String why = cause == null ? "failed" : Reasons.of(cause, peer);
        if (peer != null && !why.contains(peer)) why += " (" + peer + ")";
        log.warn("server {} failed: {}", Target.name(target), why);
        add("server-failed", "server " + Target.name(target) + " failed: " + why);
    }

    void closed(Connection c) {
        if (log.isTraceEnabled()) log.trace("connection {} closed, {} bytes up, {} down", c.id(), c.bytesUp(), c.bytesDown());
    }
}
