package io.jpen.core.select;

import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The server this client used last, or -1 when unknown or expired ({@code trackingSeconds} 0 = never). */
    public int lastServer(InetAddress address, int trackingSeconds) {
        synchronized (lock) {
            Client c = clients.get(address);
            if (c == null || c.server() < 0) return -1;
            if (trackingSeconds > 0 && clock.millis() - c.lastMillis() > trackingSeconds * 1000L) return -1;
            return c.server();
        }
    }

    /** Remembers that this client was connected to {@code server} (-1 for emergency/abuse: not tracked). */
    public void connected(InetAddress address, int server) {
        long now = clock.millis();
        synchronized (lock) {
            Client c = clients.get(address);
            if (c == null) {
                clients.put(address, new Client(address, server, now, 1, 0, 0));
            } else {
                clients.put(address, new Client(address, server < 0 ? c.server() : server, now,
                        c.connects() + 1, c.sent(), c.received()));
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
