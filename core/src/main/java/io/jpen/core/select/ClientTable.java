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

    /** How {@link #choose} asks for a target: the server the client used last (or is pinned to), and whether pinned. */
    @FunctionalInterface
    public interface Choice {
        int choose(int last, boolean pinned);
    }

    private final InstantSource clock;
    private final Object lock = new Object();
    /**
     * Clients the operator pinned to a server: kept apart from the learned entries, so neither the table's size
     * limit nor the tracking time forgets them.
     */
    private final Map<InetAddress, Integer> pins = new java.util.HashMap<>();
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
        return choose(address, trackingSeconds, (last, pinned) -> choose.applyAsInt(last));
    }

    /**
     * As {@link #choose(InetAddress, int, IntUnaryOperator)}; a pinned client's {@code last} is the server it is
     * pinned to, however old or missing its entry, and {@code pinned} says so.
     */
    public int choose(InetAddress address, int trackingSeconds, Choice choose) {
        return choose(address, trackingSeconds, clock.millis(), choose);
    }

    /** As {@link #choose(InetAddress, int, Choice)}, at {@code now} (the caller's clock reading, one per choice). */
    public int choose(InetAddress address, int trackingSeconds, long now, Choice choose) {
        synchronized (lock) {
            Client c = clients.get(address);
            Integer pin = pins.get(address);
            int last = pin != null ? pin : c == null || c.server() < 0
                    || (trackingSeconds > 0 && now - c.lastMillis() > trackingSeconds * 1000L) ? -1 : c.server();
            int target = choose.choose(last, pin != null);
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

    /**
     * Forgets what was learned about {@code address} and any pin, so its next connection is chosen afresh; returns
     * whether there was anything to forget.
     */
    public boolean forget(InetAddress address) {
        synchronized (lock) {
            boolean pinned = pins.remove(address) != null;
            return clients.remove(address) != null || pinned;
        }
    }

    /** Puts back an entry {@link #forget} removed (a rejected config file undoes its changes). */
    public void restore(Client client) {
        synchronized (lock) {
            clients.put(client.address(), client);
        }
    }

    /** What is known about {@code address}, or null. Does not count as a use of the entry. */
    public Client get(InetAddress address) {
        synchronized (lock) {
            for (Client c : clients.values()) if (c.address().equals(address)) return c;
            return null;
        }
    }

    /** Pins {@code address} to {@code server} (the operator's choice); returns the previous pin or null. */
    public Integer pin(InetAddress address, int server) {
        synchronized (lock) {
            return pins.put(address, server);
        }
    }

    /** Removes a pin; returns the server it pinned to, or null when there was none. */
    public Integer unpin(InetAddress address) {
        synchronized (lock) {
            return pins.remove(address);
        }
    }

    /** The pins, in address order (for {@code write} and observers). */
    public java.util.SortedMap<String, Integer> pins() {
        synchronized (lock) {
            java.util.TreeMap<String, Integer> m = new java.util.TreeMap<>();
            pins.forEach((a, s) -> m.put(a.getHostAddress(), s));
            return m;
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
