package io.jpen.core.control;

import io.jpen.core.engine.Connection;
import io.jpen.core.engine.ConnectionTable;
import io.jpen.core.engine.EngineState;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.select.ClientTable;
import io.jpen.core.select.Server;
import io.jpen.core.select.Target;
import io.netty.channel.Channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pen's reply shapes, so Debian's penctl and scripts written for Pen read jpen's answers. */
public final class Replies {
    private Replies() {}

    /**
     * {@code N addr A port P conn C max M hard H weight W prio R sx SENT rx RECEIVED}, one line per server, and
     * after Pen's fields jpen's own ({@link #jpenFields}).
     */
    public static String servers(List<Server> servers, long nowMillis) {
        boolean lifecycle = lifecycleInUse(servers);
        StringBuilder b = new StringBuilder();
        for (Server s : servers) {
            ServerSpec p = s.spec();
            b.append(s.index()).append(" addr ").append(p.host()).append(" port ").append(p.port())
                    .append(" conn ").append(s.connections()).append(" max ").append(p.soft())
                    .append(" hard ").append(p.hard()).append(" weight ").append(p.weight())
                    .append(" prio ").append(p.prio()).append(" sx ").append(s.bytesSent())
                    .append(" rx ").append(s.bytesReceived());
            jpenFields(b, s, nowMillis, lifecycle);
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * The fields jpen appends to a {@code servers} line, after all of Pen's, so penctl and scripts that read Pen's
     * fields by position keep working. Every appended field goes here (PROXY protocol's too).
     * <p>Server health and lifecycle: {@code state S} ({@code up}, {@code down}, {@code blacklisted},
     * {@code drain}, {@code maint}, {@code disabled}), {@code left N} (seconds of a blacklist or of a timed drain),
     * then {@code check …}, {@code check_port P} and {@code slowstart S} where set. Shown on every line once any
     * server uses a check, slow start, drain or maintenance; until then the lines are Pen's, word for word.
     */
    static void jpenFields(StringBuilder b, Server s, long nowMillis, boolean lifecycle) {
        if (lifecycle) {
            io.jpen.core.select.ServerState st = s.state(nowMillis);
            b.append(" state ").append(st.word());
            long until = st == io.jpen.core.select.ServerState.BLACKLISTED ? s.blacklistedUntilMillis()
                    : st == io.jpen.core.select.ServerState.DRAIN ? s.drainDeadlineMillis() : 0;
            if (until > 0) b.append(" left ").append(Math.max(0, (until - nowMillis + 999) / 1000));
            io.jpen.core.model.ServerOptions o = s.options();
            if (o.check() != null) b.append(" check ").append(o.check().words());
            if (o.checkPort() != 0) b.append(" check_port ").append(o.checkPort());
            if (o.slowstartSeconds() != 0) b.append(" slowstart ").append(o.slowstartSeconds());
        }
        // PROXY protocol: only when set, so Pen's reply shape stays as it is by default.
        ServerSpec p = s.spec();
        if (p.proxy() != io.jpen.core.model.ProxyVersion.OFF) b.append(" proxy ").append(p.proxy().word());
    }

    /** Whether any server uses a check, slow start, drain or maintenance (or is down by a check just turned off). */
    static boolean lifecycleInUse(List<Server> servers) {
        for (Server s : servers) {
            if (!s.options().equals(io.jpen.core.model.ServerOptions.NONE) || s.admin() != Server.Admin.READY
                    || s.checkFailed()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Pen's five lines about one connection, and a sixth, {@code via}, for a client a PROXY header named. The
     * descriptors are the real ones on the native transports (-1 on NIO, which hides them); where Pen shows its client-table slot, jpen shows the client's address and port.
     */
    public static String connection(Connection c) {
        return "Connection " + c.id() + ":\n"
                + "state = " + c.state().name().toLowerCase(java.util.Locale.ROOT) + "\n"
                + "downfd = " + c.downFd() + ", upfd = " + c.upFd() + "\n"
                + "client = " + address(c.clientSocket(), null) + ", server = " + Target.name(c.target()) + "\n"
                + "pend = " + (c.state() == Connection.State.CONNECTING ? 1 : 0) + "\n"
                + (c.via() == null ? "" : "via = " + address(c.via(), null) + " (PROXY header)\n");
    }

    /** Which connection a file descriptor belongs to, or -1 (Pen's {@code socket N}). */
    static int connectionOfSocket(ConnectionTable table, int fd) {
        if (fd < 0) return -1;
        for (Connection c : table.all()) {
            if (c.downFd() == fd || c.upFd() == fd) return c.id();
        }
        return -1;
    }

    /** {@code ADDRESS connects N sx S rx R} for each client seen in the last {@code seconds}. */
    static String recent(EngineState state, int seconds) {
        long since = state.nowMillis() - seconds * 1000L;
        // Live connections' bytes count too, as in Pen, where a client's totals grow while it is connected.
        Map<InetAddress, long[]> live = new HashMap<>();
        for (Connection c : state.connections().all()) {
            long[] t = live.computeIfAbsent(c.clientAddress(), a -> new long[2]);
            t[0] += c.bytesUp();
            t[1] += c.bytesDown();
        }
        StringBuilder b = new StringBuilder();
        for (ClientTable.Client c : state.clients().list()) {
            if (c.lastMillis() < since) continue;
            long[] t = live.getOrDefault(c.address(), new long[2]);
            b.append(c.address().getHostAddress()).append(" connects ").append(c.connects())
                    .append(" sx ").append(c.sent() + t[0]).append(" rx ").append(c.received() + t[1]).append('\n');
        }
        return b.toString();
    }

    /** {@code master since 2026-12-06 10:15:02 UTC}, or {@code unknown} before keepalived has reported a role. */
    public static String role(io.jpen.core.model.NodeRole r) {
        return r.known() ? r.role() + " since " + StatusPage.time(r.sinceMillis()) : r.role();
    }

    /** The numeric host of an address, without an IPv6 scope. */
    static String host(InetSocketAddress isa) {
        String host = isa.getAddress() == null ? isa.getHostString() : isa.getAddress().getHostAddress();
        int pct = host.indexOf('%');
        return pct >= 0 ? host.substring(0, pct) : host;
    }

    /** {@code host:port} as Pen prints a bound address ({@code [v6]:port} for IPv6), or the endpoint's own text. */
    public static String address(SocketAddress bound, Endpoint configured) {
        if (bound instanceof InetSocketAddress isa) {
            String host = host(isa);
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + isa.getPort();
        }
        if (configured != null) return configured.toString();
        return bound == null ? "" : bound.toString();
    }
}
