package io.jpen.core.engine;

import io.netty.channel.Channel;

import java.net.SocketAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The live pairs by id. Ids grow and are never reused, so {@code close N} can never hit a newer connection. */
public final class ConnectionTable {
    /**
     * Keyed by the connection itself, which hashes as its id: no boxed id per pair (16 bytes for each live pair, and
     * one allocation per connection). A lookup by number uses an {@link Id}, which equals the connection of its id.
     */
    private final ConcurrentHashMap<Object, Connection> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    /** The last connections to close, so their story can still be shown: a ring written without locks. */
    private static final int RECENT = 256;
    private final java.util.concurrent.atomic.AtomicReferenceArray<Connection> recent =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(RECENT);
    private final AtomicInteger recentNext = new AtomicInteger();

    /** Reserves a slot under {@code max}; false when the balancer is full. */
    boolean admit(int max) {
        while (true) {
            int n = active.get();
            if (n >= max) return false;
            if (active.compareAndSet(n, n + 1)) return true;
        }
    }

    Connection register(Channel down, SocketAddress clientSocket, long nowMillis) {
        Connection c = new Connection(nextId.getAndIncrement(), down, clientSocket, nowMillis);
        byId.put(c, c);
        return c;
    }

    /** A plain pair relayed without channels (PlainPair). */
    Connection registerPlain(PlainPair pair, long nowMillis) {
        Connection c = new Connection(nextId.getAndIncrement(), pair, nowMillis);
        byId.put(c, c);
        return c;
    }

    /** A UDP stream: its "down" is the shared listener, so closing it goes through {@code closer}. */
    Connection registerDatagram(Channel listener, SocketAddress clientSocket, long nowMillis, Runnable closer) {
        Connection c = new Connection(nextId.getAndIncrement(), listener, clientSocket, nowMillis);
        c.closer(closer);
        byId.put(c, c);
        return c;
    }

    void remove(Connection c) {
        if (byId.remove(c) != null) {
            active.decrementAndGet();
            recent.set(Math.floorMod(recentNext.getAndIncrement(), RECENT), c.closedCopy());
        }
    }

    /** A live connection, or one of the last to close; null when it is unknown or closed too long ago. */
    public Connection find(int id) {
        Connection c = byId.get(new Id(id));
        if (c != null) return c;
        for (int i = 0; i < RECENT; i++) {
            Connection r = recent.get(i);
            if (r != null && r.id() == id) return r;
        }
        return null;
    }

    public Connection get(int id) {
        return byId.get(new Id(id));
    }

    /**
     * A connection's number as a key: hashes as the connection does, and equals it (the map compares the key it is
     * given with the keys it holds, in that direction).
     */
    private record Id(int value) {
        @Override
        public int hashCode() {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Connection c ? c.id() == value : o instanceof Id other && other.value == value;
        }
    }

    public Collection<Connection> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    /** Every connection ever accepted past the limit check. */
    public long acceptedTotal() {
        return nextId.get();
    }

    public int size() {
        return active.get();
    }
}
