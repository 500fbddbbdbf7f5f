package io.jpen.core.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that have seen no traffic in either direction for {@code idle_timeout} seconds. One sweep
 * over the connection table per housekeeping tick instead of a timer per connection: with 100,000 connections
 * that is 100,000 volatile reads a second and no scheduling at all on the byte path. A connection is closed by
 * its own event loop, which checks again, so one that woke up meanwhile survives.
 */
final class IdleSweep {
    private static final Logger log = LoggerFactory.getLogger(IdleSweep.class);

    private final Engine engine;

    IdleSweep(Engine engine) {
        this.engine = engine;
    }

    /** @return how many connections were found idle */
    int sweep() {
        int seconds = engine.settings().idleTimeoutSeconds();
        if (seconds <= 0) return 0;
        long limitMillis = seconds * 1000L;
        long now = engine.clock().millis();
        int found = 0;
        for (Connection c : engine.connections().all()) {
            if (now - c.lastActivityMillis() < limitMillis) continue;
            found++;
            c.loop().execute(() -> closeIfStillIdle(c, limitMillis));
        }
        if (found > 0) {
            engine.events().add("idle", found + (found == 1 ? " connection" : " connections")
                    + " idle for " + seconds + " s, closing");
        }
        return found;
    }

    private void closeIfStillIdle(Connection c, long limitMillis) {
        if (engine.clock().millis() - c.lastActivityMillis() < limitMillis) return;
        if (log.isDebugEnabled()) log.debug("connection {} idle, closing", c.id());
        // Nothing moved for the whole timeout (a stuck reader included), so waiting for a flush could wait forever.
        c.closedBy("jpen (idle timeout)");
        c.abort();
    }
}
