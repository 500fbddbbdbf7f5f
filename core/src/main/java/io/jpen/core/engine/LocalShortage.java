package io.jpen.core.engine;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.InstantSource;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Failures that are this machine's, not a server's: no file descriptor left for a socket (EMFILE, ENFILE) or no
 * local port (EADDRNOTAVAIL). Counted as a server's failure, they blacklisted every healthy server at once, and new
 * clients were refused for the blacklist time after the shortage had passed. The client that meets one is refused
 * and the servers are left alone; the log gets one line when it starts and then one per {@link #REPORT_MILLIS} with
 * the count, never a stack trace per refusal (or per failed accept, which Netty retries every second).
 */
final class LocalShortage {
    private static final Logger log = LoggerFactory.getLogger("jpen");
    static final long REPORT_MILLIS = 10_000;
    private static final String[] LOCAL = {"Too many open files", "Cannot assign requested address"};

    private final EngineEvents events;
    private final InstantSource clock;
    private long reportedMillis = Long.MIN_VALUE;
    private int refused;
    private int acceptsFailed;
    private boolean summaryDue;

    LocalShortage(EngineEvents events, InstantSource clock) {
        this.events = events;
        this.clock = clock;
        // Loaded now: once descriptors are out, a class not loaded yet cannot be read (from a class directory).
        java.util.Objects.requireNonNull(EngineEvents.Event.class);
    }

    /** The local resource {@code t} (or a cause of it) says is exhausted, or null when it is about something else. */
    static String of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m == null) continue;
            for (String local : LOCAL) {
                if (m.contains(local)) return local;
            }
        }
        return null;
    }

    /** A client refused because its server connection could not be opened here; {@code loop} may time the report. */
    void clientRefused(SocketAddress client, String what, EventExecutor loop) {
        events.refused(client, "no local resource for a server connection (" + what + ")");
        count(what, true, loop);
    }

    /**
     * Counts one occurrence: the first of a spell is logged at once; later ones are summed into a line at most every
     * REPORT_MILLIS (timed on {@code loop}), so none goes unreported and the log gets no line per occurrence.
     */
    private synchronized void count(String what, boolean client, EventExecutor loop) {
        if (client) refused++; else acceptsFailed++;
        long now = clock.millis();
        if (reportedMillis == Long.MIN_VALUE || now - reportedMillis >= REPORT_MILLIS) {
            report(what, now);
        } else if (!summaryDue) {
            summaryDue = true;
            long wait = reportedMillis + REPORT_MILLIS - now;
            try {
                loop.schedule(() -> summary(what), wait, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                summaryDue = false; // the engine is closing
            }
        }
    }

    private synchronized void summary(String what) {
        summaryDue = false;
        if (refused + acceptsFailed > 0) report(what, clock.millis());
    }

    private void report(String what, long now) {
        String line = what + " in jpen itself, not at a server: " + refused + " clients refused, " + acceptsFailed
                + " accepts failed" + (reportedMillis == Long.MIN_VALUE ? "" : " since " + (now - reportedMillis) / 1000
                + " s ago") + "; servers stay up (reported at most every " + REPORT_MILLIS / 1000 + " s)";
        log.warn(line);
        events.add("local-shortage", line);
        reportedMillis = now;
        refused = 0;
        acceptsFailed = 0;
    }

    /**
     * After the listener's acceptor: a failed accept has already paused accepting for a second there; this keeps the
     * failure out of Netty's default log (a warning with a stack trace, every second while it lasts).
     */
    ChannelHandler acceptErrors() {
        return new AcceptErrors();
    }

    /** One per listener: not marked shared, as the annotation would be read through a proxy (see ListenerHandler). */
    private final class AcceptErrors extends ListenerHandler {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String what = of(cause);
            if (what != null) {
                count(what, false, ctx.executor());
            } else {
                log.warn("accepting on {} failed: {}", ctx.channel().localAddress(), cause.getMessage());
            }
        }
    }
}
