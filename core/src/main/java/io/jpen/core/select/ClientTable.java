package io.jpen.core.select;

import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Pen's client table: which server each client address used last, least recently used entries thrown out when
 * the table is full, entries older than the tracking time forgotten. O(1) per lookup; a short lock guards it
 * because clients arrive on every event loop.
 */
public final class ClientTable {
    /** What is known about one client address. */
    public record Client(InetAddress address, int server, long lastMillis, long connects, long sent, long received) {}

    private final InstantSource clock;
    private final Object lock = new Object();
    private int capacity;
    private final LinkedHashMap<InetAddress, Client> clients = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Client> eldest) {
            return size() > capacity;
        }
    };

    public ClientTable(int capacity, InstantSource clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    public void capacity(int capacity) {
        synchronized (lock) {
            this.capacity = capacity;
            var it = clients.entrySet().iterator();
            while (clients.size() > capacity && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }

    /**
     * One connection's choice, made and recorded in one step, so connections from one client follow each other
     * in the order they ask, whatever order their connects complete in (Pen records the server when it starts
     * connecting, not when the connect completes). {@code choose} gets the server this client was sent to last
     * (-1 when unknown, or older than {@code trackingSeconds}; 0 = never expires) and returns the target; a
     * regular server (index &ge; 0) is remembered for the client, and the connection counts as one of its
     * connects either way. {@code choose} runs under the table's lock: it must be short and must not block.
     */
    public int choose(InetAddress address, int trackingSeconds, IntUnaryOperator choose) {
        long now = clock.millis();
        synchronized (lock) {
            Client c = clients.get(address);
            int last = c == null || c.server() < 0
                    || (trackingSeconds > 0 && now - c.lastMillis() > trackingSeconds * 1000L) ? -1 : c.server();
            int target = choose.applyAsInt(last);
            int server = target >= 0 ? target : c == null ? -1 : c.server();
            clients.put(address, c == null ? new Client(address, server, now, 1, 0, 0)
                    : new Client(address, server, now, c.connects() + 1, c.sent(), c.received()));
            return target;
        }
    }

    /** A connection failed over to {@code server}: the client follows it from now on, as in Pen. */
    public void moved(InetAddress address, int server) {
        if (server < 0) return;
        synchronized (lock) {
            Client c = clients.get(address);
            if (c != null) {
                clients.put(address, new Client(address, server, c.lastMillis(), c.connects(), c.sent(), c.received()));
            }
        }
    }

    /** Adds a finished connection's bytes to its client's totals. */
    public void traffic(InetAddress address, long sent, long received) {
        synchronized (lock) {
            Client c = clients.get(address);
            if (c != null) {
                clients.put(address, new Client(address, c.server(), c.lastMillis(), c.connects(),
                        c.sent() + sent, c.received() + received));
            }
        }
    }

    /** Forgets every client that was sent to {@code server}, as Pen does when a server is changed. */
    public void forgetServer(int server) {
        synchronized (lock) {
            clients.values().removeIf(c -> c.server() == server);
        }
    }

    public List<Client> list() {
        synchronized (lock) {
            return new ArrayList<>(clients.values());
        }
    }

    public int size() {
        synchronized (lock) {
            return clients.size();
        }
    }
}
