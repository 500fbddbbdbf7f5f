package io.jpen.core.engine;

import io.jpen.core.model.HashMethod;
import io.jpen.core.model.Settings;
import io.jpen.core.select.Maglev;
import io.jpen.core.select.Server;
import io.jpen.core.select.ServerState;
import io.jpen.core.select.Target;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Which servers are in rotation, as it changes: each server's state change is recorded as an event (a command, a
 * check's verdict, a blacklist starting or running out), hash_method maglev's table is kept in step with the
 * servers in rotation, and a timed drain closes what is left at its end.
 */
final class Rotation {
    /** Under the engine's name, as before this class was split from it: operators read "Engine - server 1 ...". */
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final InstantSource clock;
    private final EngineEvents events;
    private final Maglev maglev;
    private final ConnectionTable connections;
    private final Supplier<Server[]> servers;
    private final Supplier<Settings> settings;
    /** The engine's command lock: a background Maglev rebuild takes it like a command. */
    private final Object commandLock;
    /** A Maglev rebuild handed to the background thread and not yet run (housekeeping asks for at most one). */
    private final AtomicBoolean maglevRebuildQueued = new AtomicBoolean();

    Rotation(InstantSource clock, EngineEvents events, Maglev maglev, ConnectionTable connections,
             Supplier<Server[]> servers, Supplier<Settings> settings, Object commandLock) {
        this.clock = clock;
        this.events = events;
        this.maglev = maglev;
        this.connections = connections;
        this.servers = servers;
        this.settings = settings;
        this.commandLock = commandLock;
    }

    /**
     * Keeps hash_method maglev's table in step with the servers in rotation; O(servers) when nothing changed.
     * Runs under the command lock, on the thread of a command or of the background rebuild, never on an event loop.
     */
    void refreshMaglev() {
        if (settings.get().hashMethod() != HashMethod.MAGLEV) {
            maglev.clear();
            return;
        }
        if (maglev.refresh(servers.get(), clock.millis())) {
            events.add("maglev", "lookup tables rebuilt: " + maglev.rotation().members().size() + " of "
                    + maglev.configured().members().size() + " servers in rotation");
        }
    }

    /**
     * From housekeeping, on an event loop: a blacklist set by a failed connect, or one that ran out, changes the
     * servers in rotation without a command. Noticing is O(servers); the rebuild goes to Netty's global background
     * thread, so no event loop spends milliseconds on it.
     */
    void checkMaglev() {
        if (settings.get().hashMethod() != HashMethod.MAGLEV || !maglev.stale(servers.get(), clock.millis())) return;
        if (!maglevRebuildQueued.compareAndSet(false, true)) return;
        io.netty.util.concurrent.GlobalEventExecutor.INSTANCE.execute(() -> {
            maglevRebuildQueued.set(false);
            synchronized (commandLock) {
                refreshMaglev();
            }
        });
    }

    /** An active check's verdict (on an event loop): the server goes down or comes back, now. */
    void checkVerdict(Server s, boolean failed, String reason) {
        s.checkFailed(failed, clock.millis());
        noteState(s, reason);
        checkMaglev();
    }

    /**
     * Records each server's state; a change found here, not made by a command or a check, is Pen's blacklist
     * starting (a failed connect) or running out. O(servers), from housekeeping and after every command.
     */
    void noteStates() {
        long now = clock.millis();
        for (Server s : servers.get()) {
            ServerState st = s.state(now);
            ServerState before = s.notedState();
            if (st == before) continue;
            String why = switch (st) {
                case BLACKLISTED -> java.util.Objects.requireNonNullElse(events.lastFailure(s.index()), "a connect failed")
                        + ", out for " + Math.max(1, (s.blacklistedUntilMillis() - now + 999) / 1000) + " s";
                case UP -> before == ServerState.BLACKLISTED ? "blacklist time over" : "";
                case DISABLED -> "its slot was cleared (port 0)";
                default -> "";
            };
            noteState(s, why);
        }
    }

    /** Records {@code s}'s state with {@code why}; a change is an event ("server 1 (127.0.0.1:8083) is down: …"). */
    void noteState(Server s, String why) {
        Server.Transition t = s.note(clock.millis(), why);
        if (t == null) return;
        String message = "server " + s.index() + " (" + Maglev.name(s.spec()) + ") " + t.to().phrase()
                + (t.reason().isEmpty() ? "" : ": " + t.reason()) + " (was " + t.from().word() + ")";
        if (t.to() == ServerState.UP) log.info(message); else log.warn(message);
        events.add("server-state", message);
    }

    /** At a timed drain's end, closes what is left, unless the operator changed the server's state since. */
    void scheduleDrainEnd(EventLoopGroup group, Server s, long deadlineMillis) {
        if (group == null) return; // not started: start() schedules it
        long delay = Math.max(0, deadlineMillis - clock.millis());
        group.next().schedule(() -> {
            if (s.admin() != Server.Admin.DRAIN || s.drainDeadlineMillis() != deadlineMillis) return;
            int n = closeConnectionsOf(s, false);
            events.add("server-state", "server " + s.index() + " (" + Maglev.name(s.spec())
                    + "): drain time over, " + n + (n == 1 ? " connection" : " connections") + " closed");
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Closes every live connection of {@code s}: at once ({@code abort}) or after writing what is queued. */
    int closeConnectionsOf(Server s, boolean abort) {
        int n = 0;
        for (Connection c : connections.all()) {
            if (c.target() != s.index() || !Target.regular(c.target())) continue;
            if (abort) c.abort(); else c.close();
            n++;
        }
        return n;
    }
}
