package io.jpen.core.console;

import io.jpen.core.engine.Connection;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineEvents;
import io.jpen.core.model.ClientView;
import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.ListenerView;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Snapshot;
import io.jpen.core.model.Totals;
import io.jpen.core.select.Latency;
import io.jpen.core.select.Server;
import io.jpen.core.select.Target;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an engine's live counters into Snapshots. Called once per tick by one thread; keeps the last second of
 * counters to compute rates. Reads counters without locks, so the byte path never waits for an observer.
 */
public final class Sampler {
    private final Engine engine;
    private final int maxConnections;
    private final int maxEvents;
    private static final long RATE_WINDOW_MILLIS = 1000;
    private final Map<Integer, RateWindow> serverRates = new HashMap<>();
    private final RateWindow totalRates = new RateWindow(RATE_WINDOW_MILLIS);

    /** @param maxConnections how many connections a snapshot lists at most (newest first) */
    public Sampler(Engine engine, int maxConnections, int maxEvents) {
        this.engine = engine;
        this.maxConnections = maxConnections;
        this.maxEvents = maxEvents;
    }

    public Snapshot sample() {
        long now = engine.clock().millis();

        List<Connection> live = new ArrayList<>(engine.connections().all());
        List<Server> all = engine.servers();
        // What each server sent that still waits in jpen for its client: counted once the client is sent it.
        long[] waiting = new long[all.size()];
        long[] waitingUp = new long[all.size()];
        for (Connection c : live) {
            int t = c.target();
            if (Target.regular(t) && t < waiting.length) {
                waiting[t] += c.pendingDown();
                waitingUp[t] += c.pendingUp();
            }
        }
        List<ServerView> servers = new ArrayList<>();
        for (Server s : all) {
            ServerSpec p = s.spec();
            long sent = Math.max(0, s.bytesSent() - waitingUp[s.index()]);
            long received = Math.max(0, s.bytesReceived() - waiting[s.index()]);
            long total = s.totalConnections();
            double[] r = serverRates.computeIfAbsent(s.index(), i -> new RateWindow(RATE_WINDOW_MILLIS))
                    .add(now, sent, received, total);
            double sentRate = r[0];
            double recvRate = r[1];
            double connRate = r[2];
            servers.add(view(s, p, now, total, sent, received, sentRate, recvRate, connRate));
        }

        long up = engine.closedBytesUp();
        long down = engine.closedBytesDown();
        for (Connection c : live) {
            up += c.deliveredUp();
            down += c.deliveredDown();
        }
        live.sort(Comparator.comparingInt(Connection::id).reversed());
        boolean truncated = live.size() > maxConnections;
        List<ConnectionView> views = new ArrayList<>(Math.min(live.size(), maxConnections));
        for (Connection c : live.subList(0, Math.min(live.size(), maxConnections))) {
            views.add(view(c, now));
        }

        long accepted = engine.connections().acceptedTotal();
        double[] r = totalRates.add(now, accepted, up, down);
        Totals totals = new Totals(engine.connections().size(), accepted, up, down, r[0], r[1], r[2],
                engine.idlersOpen(), engine.splicedBytesUp(), engine.splicedBytesDown());

        EngineEvents.Log log = engine.events().log();
        List<EngineEvents.Event> recent = log.recent();
        List<Snapshot.EventView> eventViews = new ArrayList<>();
        for (EngineEvents.Event e : recent.subList(Math.max(0, recent.size() - maxEvents), recent.size())) {
            eventViews.add(new Snapshot.EventView(e.millis(), e.kind(), e.message()));
        }
        List<ClientView> clients = clients(live, now);
        return new Snapshot(Snapshot.VERSION, now, engine.startedMillis(), listenText(),
                engine.transport().word(), engine.settings(), servers, totals, views, truncated, eventViews,
                log.sequence(), listener(), engine.role(),
                clients.subList(0, Math.min(clients.size(), maxConnections)), clients.size() > maxConnections);
    }

    /**
     * The client table with each client's live connections and bytes (live ones included, as {@code recent}
     * counts them), pinned clients not seen yet too; busiest first: most live connections, then the most recently seen.
     */
    private List<ClientView> clients(List<Connection> live, long now) {
        Map<java.net.InetAddress, long[]> byClient = new HashMap<>(); // connections, up, down, last activity
        for (Connection c : live) {
            java.net.InetAddress a = c.clientAddress();
            if (a == null) continue;
            long[] t = byClient.computeIfAbsent(a, k -> new long[4]);
            t[0]++;
            t[1] += c.bytesUp();
            t[2] += c.bytesDown();
            t[3] = Math.max(t[3], c.lastActivityMillis());
        }
        io.jpen.core.select.ClientTable table = engine.clientTable();
        Map<String, Integer> pins = new HashMap<>(table.pins());
        List<ClientView> out = new ArrayList<>();
        for (io.jpen.core.select.ClientTable.Client c : table.list()) {
            long[] t = byClient.getOrDefault(c.address(), new long[4]);
            Integer pin = pins.remove(c.address().getHostAddress());
            out.add(new ClientView(c.address().getHostAddress(), c.server(), (int) t[0], c.sent() + t[1],
                    c.received() + t[2], c.connects(), Math.max(c.lastMillis(), t[3]), pin == null ? -1 : pin));
        }
        pins.forEach((address, server) -> out.add(new ClientView(address, -1, 0, 0, 0, 0, 0, server)));
        out.sort(Comparator.comparingInt(ClientView::connections).reversed()
                .thenComparing(Comparator.comparingLong(ClientView::lastSeenMillis).reversed()));
        return out;
    }

    /** One server with its state, check and slow start as observers see them. */
    private ServerView view(Server s, ServerSpec p, long now, long total, long sent, long received,
                            double sentRate, double recvRate, double connRate) {
        io.jpen.core.select.ServerState state = s.state(now);
        io.jpen.core.model.ServerOptions o = s.options();
        io.jpen.core.engine.health.HealthChecks.Report report = o.check() == null ? null : engine.healthReport(s);
        io.jpen.core.engine.health.CheckResult last = report == null ? null : report.last();
        List<Long> buckets = new ArrayList<>();
        if (report != null) for (long c : report.buckets()) buckets.add(c);
        // The reason belongs to the state last recorded; for a moment after a blacklist starts or ends it may not be
        // this one yet.
        String reason = state == s.notedState() ? s.reason() : "";
        long[] connects = s.connectLatency().lastMinute(now);
        long[] firstBytes = s.firstByteLatency().lastMinute(now);
        return new ServerView(s.index(), p.host(), p.port(), state.word(),
                s.blacklisted(now) ? s.blacklistedUntilMillis() : 0, s.connections(), p.soft(), p.hard(),
                p.weight(), p.prio(), p.acl(), total, s.failures(), sent, received, sentRate, recvRate, connRate,
                s.datagramsSent(), s.datagramsReceived(),
                reason, state == s.notedState() ? s.stateSinceMillis() : now, s.drainDeadlineMillis(),
                o.check() == null ? null : o.check().words(), o.checkPort(), o.slowstartSeconds(), s.rampShare(now),
                last != null && last.ok(), last == null ? null : last.text(), last == null ? 0 : last.atMillis(),
                last == null ? 0 : last.millis(), report == null ? 0 : report.count(),
                report == null ? 0 : report.sumSeconds(), buckets, p.proxy().word(),
                Latency.quantileMillis(connects, 0.5), Latency.quantileMillis(connects, 0.99), Latency.count(connects),
                Latency.quantileMillis(firstBytes, 0.5), Latency.quantileMillis(firstBytes, 0.99), Latency.count(firstBytes),
                boxed(s.connectLatency().totals()), s.connectLatency().totalSeconds(),
                boxed(s.firstByteLatency().totals()), s.firstByteLatency().totalSeconds());
    }

    private static List<Long> boxed(long[] counts) {
        List<Long> l = new ArrayList<>(counts.length);
        for (long c : counts) l.add(c);
        return l;
    }

    private ListenerView listener() {
        var tls = engine.tlsConfig();
        var upstream = engine.upstream();
        List<String> acls = new ArrayList<>();
        for (String line : engine.acls().commands()) if (line.startsWith("acl ")) acls.add(line);
        return new ListenerView(engine.protocol().word(), tls.enabled(), engine.tlsDomains(),
                upstream.source() == null ? null : upstream.source().getHostAddress(), upstream.transparent(), acls,
                engine.proxyView());
    }

    /** One connection as observers see it at {@code now} (also used by the API's paged connection list). */
    public static ConnectionView view(Connection c, long now) {
        return new ConnectionView(c.id(), String.valueOf(c.clientSocket()), c.target(),
                serverName(c.target()), c.state().name().toLowerCase(java.util.Locale.ROOT),
                now - c.createdMillis(), now - c.lastActivityMillis(), c.deliveredUp(), c.deliveredDown(),
                c.datagram() ? "udp" : "tcp", c.datagramsUp(), c.datagramsDown(),
                c.via() == null ? null : String.valueOf(c.via()));
    }

    /** The story of connection {@code id}, live or among the last to close; null when unknown. */
    public static io.jpen.core.model.ConnectionDetail detail(Engine engine, int id) {
        Connection c = engine.connections().find(id);
        return c == null ? null : detail(c, engine.clock().millis());
    }

    public static io.jpen.core.model.ConnectionDetail detail(Connection c, long now) {
        java.net.SocketAddress server = c.serverAddress();
        long connect = c.connectNanos();
        long firstByte = c.firstByteNanos();
        return new io.jpen.core.model.ConnectionDetail(c.id(), text(c.clientSocket()), text(c.via()), c.createdMillis(),
                c.target(), serverName(c.target()), text(server),
                c.choice().describe(c.choiceAfter()), c.failedAttempts(), c.lastFailure(),
                connect < 0 ? -1 : connect / 1e6, firstByte < 0 ? -1 : firstByte / 1e6, c.deliveredUp(), c.deliveredDown(),
                c.state().name().toLowerCase(java.util.Locale.ROOT), c.datagram() ? "udp" : "tcp",
                c.closedMillis(), c.closedMillis() == 0 ? null : c.closedBy(), c.tlsDetail());
    }

    /** {@code 10.1.2.3:51234}, {@code [::1]:80}; a Unix socket's peer as it prints itself; null for none. */
    private static String text(java.net.SocketAddress a) {
        if (a instanceof java.net.InetSocketAddress isa) return io.netty.util.NetUtil.toSocketAddressString(isa);
        return a == null ? null : String.valueOf(a);
    }

    private static String serverName(int target) {
        return Target.regular(target) ? "server " + target : Target.name(target);
    }

    /** The address clients actually reach: the bound port, not a configured 0. */
    private String listenText() {
        io.jpen.core.model.Endpoint configured = engine.listenEndpoint();
        if (configured instanceof io.jpen.core.model.Endpoint.Tcp t && t.port() == 0
                && engine.localAddress() instanceof java.net.InetSocketAddress bound) {
            return new io.jpen.core.model.Endpoint.Tcp(t.host(), bound.getPort()).toString();
        }
        return String.valueOf(configured);
    }
}
