package io.jpen.core.select;

import io.jpen.core.model.ServerSpec;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * hash_method maglev: a client's server from two Maglev tables (see {@link MaglevTable}).
 * <ul>
 * <li>The <em>configured</em> table holds every configured server, by name and weight. It changes only when the
 * server list or a weight changes, and the client goes to its owner whenever that server is in rotation
 * ({@link Server#inRotation}).</li>
 * <li>The <em>rotation</em> table holds only the servers in rotation now. It answers for the clients whose
 * configured server is out (blacklisted, and the other states that take a server out of rotation).</li>
 * </ul>
 * So taking a server out moves exactly its own clients, spread over the others by weight, and bringing it back moves
 * exactly them back: no client of a server that stays in rotation ever moves. Changing the server list itself
 * moves the changed server's share plus Maglev's own small disruption (0.24 % of clients when one of ten servers
 * goes, {@code MaglevTableTest}).
 *
 * <p>The relay only reads the tables through one volatile reference. {@link #refresh} builds new ones when their
 * members changed: on the thread that ran a command, or on a background thread for changes that come with time (a
 * blacklist set by a failed connect, or running out), never on an event loop.
 */
public final class Maglev {
    private record Tables(MaglevTable configured, MaglevTable rotation) {}

    private static final Tables NONE = new Tables(MaglevTable.empty(), MaglevTable.empty());

    private final int size;
    private volatile Tables tables = NONE;

    public Maglev() {
        this(MaglevTable.DEFAULT_SIZE);
    }

    public Maglev(int size) {
        if (!MaglevTable.prime(size)) throw new IllegalArgumentException("a Maglev table's size must be a prime, not " + size);
        this.size = size;
    }

    /**
     * A server's name in the tables: its address and port as configured ({@code [v6]:port} for IPv6 literals), so
     * balancers given the same server list agree whatever their resolvers answer.
     */
    public static String name(ServerSpec spec) {
        String host = spec.host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + spec.port();
    }

    /**
     * The members of a table: every configured server ({@code inRotationOnly} false) or every server in rotation,
     * weighted by {@code weight}. A weight of 0 (Pen's default, "not set") counts as 1, so an unweighted list
     * shares evenly.
     */
    public static List<MaglevTable.Member> members(Server[] servers, long nowMillis, boolean inRotationOnly) {
        List<MaglevTable.Member> m = new ArrayList<>(servers.length);
        for (Server s : servers) {
            ServerSpec spec = s.spec();
            if (spec.unused() || inRotationOnly && !s.inRotation(nowMillis)) continue;
            m.add(new MaglevTable.Member(name(spec), Math.max(1, spec.weight()), s.index()));
        }
        return m;
    }

    /** Whether a table no longer matches the servers: O(servers), builds nothing. */
    public boolean stale(Server[] servers, long nowMillis) {
        Tables t = tables;
        return !members(servers, nowMillis, false).equals(t.configured().members())
                || !members(servers, nowMillis, true).equals(t.rotation().members());
    }

    /** Builds and publishes the tables whose members changed; true when it built one. */
    public synchronized boolean refresh(Server[] servers, long nowMillis) {
        Tables t = tables;
        List<MaglevTable.Member> configured = members(servers, nowMillis, false);
        List<MaglevTable.Member> rotation = members(servers, nowMillis, true);
        boolean configuredChanged = !configured.equals(t.configured().members());
        boolean rotationChanged = !rotation.equals(t.rotation().members());
        if (!configuredChanged && !rotationChanged) return false;
        MaglevTable c = configuredChanged ? MaglevTable.build(configured, size) : t.configured();
        // With every server in rotation the two tables are one: no second build, no second 256 KiB.
        MaglevTable r = rotation.equals(configured) ? c : rotationChanged ? MaglevTable.build(rotation, size) : t.rotation();
        tables = new Tables(c, r);
        return true;
    }

    /** Drops the tables (hash_method modulo needs none); the next refresh builds them again. */
    public synchronized void clear() {
        tables = NONE;
    }

    /** The table over every configured server. */
    public MaglevTable configured() {
        return tables.configured();
    }

    /** The table over the servers in rotation when it was last refreshed. */
    public MaglevTable rotation() {
        return tables.rotation();
    }

    /**
     * This client's server: its owner in the configured table while that server is in rotation, else its owner in
     * the rotation table; {@link Target#NONE} when neither gives one of {@code servers}.
     */
    public int server(InetAddress client, Server[] servers, long nowMillis) {
        Tables t = tables;
        long hash = MaglevHash.client(client);
        int s = t.configured().server(hash);
        if (Target.regular(s) && s < servers.length && servers[s].inRotation(nowMillis)) return s;
        s = t.rotation().server(hash);
        return s < servers.length ? s : Target.NONE;
    }
}
