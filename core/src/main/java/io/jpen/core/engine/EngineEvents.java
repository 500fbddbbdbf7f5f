package io.jpen.core.engine;

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

    /** Why each server's last connect failed, for the state change that follows ("is blacklisted: …"). */
    private final java.util.Map<Integer, String> lastFailure = new java.util.concurrent.ConcurrentHashMap<>();

    /** Why server {@code index}'s last connect failed, in words; null when none has. */
    String lastFailure(int index) {
        return lastFailure.get(index);
    }

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

    /** The events kept, oldest first, and how many were ever added when they were copied. */
    public record Log(List<Event> recent, long sequence) {}

    /**
     * {@link #recent()} and {@link #sequence()} at one moment: read one after the other, an event added in between
     * was counted without being in the list, and a reader that goes by the count never saw it.
     */
    public Log log() {
        synchronized (recent) {
            return new Log(new ArrayList<>(recent), sequence);
        }
    }

    void refused(SocketAddress client, String why) {
        if (log.isDebugEnabled()) log.debug("refused {}: {}", where(client), why);
        add("refused", "client " + where(client) + " refused: " + why);
    }

    /**
     * A server could not be reached. Every failure goes into the event ring; the log warns only when a server
     * that was answering fails ({@code news}), as Pen does: a server that stays down is retried after each
     * blacklist time and would otherwise repeat the warning for ever.
     */
    void serverFailed(int target, SocketAddress address, Throwable cause, boolean news, int blacklistSeconds) {
        String why = reason(cause);
        if (target >= 0) lastFailure.put(target, why);
        String message = "server " + Target.name(target) + " (" + where(address) + ") failed: " + why
                + (blacklistSeconds > 0 ? "; not tried again for " + blacklistSeconds + " s" : "");
        if (news) log.warn(message); else if (log.isDebugEnabled()) log.debug(message + " (still failing)");
        add("server-failed", message);
    }

    /** A server that had failed answered again. */
    void serverAnswers(int target, SocketAddress address) {
        String message = "server " + Target.name(target) + " (" + where(address) + ") answers again";
        log.info(message);
        add("server-back", message);
    }

    private static String where(SocketAddress address) {
        return address instanceof java.net.InetSocketAddress isa
                ? io.netty.util.NetUtil.toSocketAddressString(isa) : String.valueOf(address);
    }

    /**
     * Why a connect failed, in the operator's words: no Java class names, none of Netty's "finishConnect(..)
     * failed with error(-111)" and no repeated address.
     */
    static String reason(Throwable cause) {
        if (cause == null) return "no reason given";
        if (cause instanceof java.net.PortUnreachableException) return "port unreachable";

        String m = cause.getMessage();
        if (m == null || m.isBlank()) return "no reason given";
        m = m.replaceFirst("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
        m = m.replaceFirst(": /?[^ ]+$", ""); // the address, already named
        return m.isEmpty() ? "no reason given" : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    void closed(Connection c) {
        if (log.isTraceEnabled()) log.trace("connection {} closed, {} bytes up, {} down", c.id(), c.bytesUp(), c.bytesDown());
    }
}
