package io.jpen.core.select;

import io.jpen.core.acl.AclCheck;
import io.jpen.core.model.HashMethod;
import io.jpen.core.model.Settings;

import java.net.InetAddress;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pen's server selection: client tracking first, then prio, weight, hash or round robin for the initial choice,
 * and on failure the servers after the failed one, wrapping around once, then the emergency server. The caller
 * connects; this class only decides where.
 */
public final class ServerSelector {
    private static final int WEIGHT_FACTOR = 256;

    private final ClientTable clients;
    private final InstantSource clock;
    private final AtomicInteger lastRoundRobin = new AtomicInteger();
    private final Maglev maglev = new Maglev();

    public ServerSelector(ClientTable clients, InstantSource clock) {
        this.clients = clients;
        this.clock = clock;
    }

    public ClientTable clients() {
        return clients;
    }

    /** hash_method maglev's table; the engine refreshes it, selection only reads it. */
    public Maglev maglev() {
        return maglev;
    }

    /** One connection's walk through the candidates. Not thread-safe: it belongs to one connection. */
    public final class Attempts {
        private final Server[] servers;
        private final Settings settings;
        private final AclCheck acl;
        private final InetAddress client;
        private final int clientPort;
        private int tracked = Target.NONE;
        /** Whether {@link #tracked} is an operator's pin rather than what tracking learned. */
        private boolean trackedByPin;
        private int initial = Target.NONE;
        private int current = Target.NONE;
        private boolean denied;
        /** A server in slow start that passed this client on; it still takes the client when no one else can. */
        private int rampDeclined = Target.NONE;
        private boolean rampFallbackUsed;
        /** Why {@code current} was chosen, and the server tried before it (-1 for none). */
        private Choice choice = Choice.NONE;
        private int after = -1;
        /** The time this choice is made at: read once per choice, not once per server looked at. */
        private long now;

        private Attempts(Server[] servers, Settings settings, AclCheck acl, InetAddress client, int clientPort) {
            this.servers = servers;
            this.settings = settings;
            this.acl = acl;
            this.client = client;
            this.clientPort = clientPort;
        }

        /**
         * The first target to try, or NONE when nothing can take the client (emergency, if any, comes next).
         * Decided and recorded for the client in one step (see {@link ClientTable#choose}): the client's next
         * connection follows this one's choice, even if this one's connect is still under way. {@code nowMillis}: the
         * time of the choice, as the caller's event loop has it.
         */
        public int first(long nowMillis) {
            now = nowMillis;
            return clients.choose(client, settings.trackingSeconds(), now, (last, pinned) -> {
                if (!acl.permits(settings.clientAcl(), client)) {
                    denied = true;
                    current = settings.abuse() != null ? Target.ABUSE : Target.NONE;
                    initial = current;
                    choice = current == Target.ABUSE ? Choice.ABUSE : Choice.NONE;
                    return current;
                }
                // an operator's pin holds in every mode; what tracking learned does not in round robin
                tracked = settings.roundrobin() && !pinned ? Target.NONE : last;
                trackedByPin = pinned;
                int pick = initialChoice();
                initial = pick;
                current = pick;
                if (Target.regular(pick) && tryable(pick)) return pick;
                if (Target.regular(tracked) && pick == tracked && maglevChooses()) {
                    // A returning client whose server cannot take it goes where the table sends it, as it would on
                    // a balancer that never saw it, rather than to the next server in the list.
                    int m = byMaglev();
                    if (Target.regular(m) && tryable(m)) {
                        this.choice = Choice.MAGLEV;
                        return initial = current = m;
                    }
                }
                return advance(Choice.NEXT);
            });
        }

        /**
         * The target after the current one failed or was not tryable: following servers in order, wrapping once,
         * then the emergency server; NONE when there is nothing left (or when stubborn).
         */
        public int next() {
            now = clock.millis(); // a failover comes after a failed connect, a while after the first choice
            int target = advance(Choice.FAILOVER);
            clients.moved(client, target);
            return target;
        }

        private int advance(Choice because) {
            after = Target.regular(current) ? current : -1;
            if (current == Target.ABUSE || current == Target.EMERGENCY) return current = Target.NONE;
            if (settings.stubborn()) {
                current = rampFallback(Target.NONE);
                choice = Target.regular(current) ? Choice.SLOW_START : Choice.NONE;
                return current;
            }
            int n = servers.length;
            if (Target.regular(current) && n > 1) {
                int s = current;
                while (true) {
                    s = (s + 1) % n;
                    if (s == initial) break;
                    if (tryable(s)) {
                        choice = because;
                        return current = s;
                    }
                }
            }
            current = rampFallback(settings.emergency() != null ? Target.EMERGENCY : Target.NONE);
            choice = current == Target.EMERGENCY ? Choice.EMERGENCY : Target.regular(current) ? Choice.SLOW_START : Choice.NONE;
            return current;
        }

        /** Why the target last returned by {@link #first} or {@link #next} was chosen. */
        public Choice choice() {
            return choice;
        }

        /** The server tried (or chosen and unavailable) just before that target, or -1. */
        public int after() {
            return after;
        }

        /** Slow start thins a server's share of new clients; it never turns away a client no one else takes. */
        private int rampFallback(int otherwise) {
            if (!Target.regular(rampDeclined) || rampFallbackUsed) return otherwise;
            rampFallbackUsed = true;
            return rampDeclined;
        }

        /** Whether client_acl denied this client (it goes to the abuse server, or nowhere). */
        public boolean denied() {
            return denied;
        }

        /** Whether {@code index} is the server this client is returning to (and may use the hard limit). */
        public boolean returning(int index) {
            return index == tracked;
        }

        private boolean tryable(int index) {
            Server s = servers[index];
            if (!s.available(now, returning(index)) || !acl.permits(s.spec().acl(), client)) return false;
            if (returning(index) || s.rampAdmits(now)) return true;
            if (rampDeclined == Target.NONE) rampDeclined = index;
            return false;
        }

        private int initialChoice() {
            if (Target.regular(tracked) && tracked < servers.length) {
                choice = trackedByPin ? Choice.PINNED : Choice.TRACKED;
                return tracked;
            }
            if (maglevChooses()) {
                choice = Choice.MAGLEV;
                return byMaglev();
            }
            choice = settings.prio() ? Choice.PRIO : settings.weight() ? Choice.WEIGHT
                    : settings.hash() ? Choice.HASH : Choice.ROUND_ROBIN;
            if (settings.prio()) return byPrio();
            if (settings.weight()) return byWeight();
            if (settings.hash()) return byHash();
            return byRoundRobin();
        }

        /**
         * hash_method maglev: the Maglev table makes the initial choice in hash mode, and for a new client when
         * clients are tracked and no other algorithm (prio, weight) is on, where Pen would go round robin.
         */
        private boolean maglevChooses() {
            return settings.hashMethod() == HashMethod.MAGLEV && !settings.prio() && !settings.weight()
                    && (settings.hash() || !settings.roundrobin());
        }

        /** The table's server for this client; modulo when it has none (no table yet, or a server just removed). */
        private int byMaglev() {
            int s = maglev.server(client, servers, now);
            return Target.regular(s) ? s : byHash();
        }

        private boolean selectable(int i) {
            return servers[i].available(now, false) && acl.permits(servers[i].spec().acl(), client);
        }

        private int byPrio() {
            int best = Target.NONE;
            for (int i = 0; i < servers.length; i++) {
                if (!selectable(i)) continue;
                if (best == Target.NONE || servers[i].spec().prio() < servers[best].spec().prio()) best = i;
            }
            return best;
        }

        private int byWeight() {
            int best = Target.NONE;
            long bestLoad = 0;
            for (int i = 0; i < servers.length; i++) {
                int w = servers[i].spec().weight();
                if (w == 0 || !selectable(i)) continue;
                long load = (long) WEIGHT_FACTOR * servers[i].connections() / w;
                if (best == Target.NONE || load < bestLoad) {
                    best = i;
                    bestLoad = load;
                }
            }
            return best;
        }

        private int byHash() {
            if (servers.length == 0) return Target.NONE;
            byte[] a = client.getAddress();
            int h;
            if (a.length == 4) {
                h = ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
                if (settings.roundrobin()) h ^= clientPort;
            } else {
                h = a[15] & 0xff;
            }
            return Integer.remainderUnsigned(h, servers.length);
        }

        private int byRoundRobin() {
            int n = servers.length;
            if (n == 0) return Target.NONE;
            while (true) {
                int last = lastRoundRobin.get();
                int i = last;
                int found = Target.NONE;
                for (int k = 0; k < n; k++) {
                    i = (i + 1) % n;
                    if (selectable(i)) {
                        found = i;
                        break;
                    }
                }
                if (found == Target.NONE) return Target.NONE;
                if (lastRoundRobin.compareAndSet(last, found)) return found;
            }
        }
    }

    public Attempts attempts(Server[] servers, Settings settings, AclCheck acl, InetAddress client, int clientPort) {
        return new Attempts(servers, settings, acl, client, clientPort);
    }
}
