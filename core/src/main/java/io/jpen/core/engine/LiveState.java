package io.jpen.core.engine;

import io.jpen.core.acl.Acls;
import io.jpen.core.model.AcceptProxy;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.HealthSettings;
import io.jpen.core.model.HostPort;
import io.jpen.core.model.NodeRole;
import io.jpen.core.model.ProxyVersion;
import io.jpen.core.model.ServerOptions;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.ClientTable;
import io.jpen.core.select.Maglev;
import io.jpen.core.select.Server;
import io.jpen.core.engine.health.HealthChecks;
import io.jpen.core.tls.TlsConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The engine's running configuration, and the one implementation of {@link EngineState}: what commands read and
 * change under the command lock (only {@link Engine#execute} hands it out), and what the data path reads. Each
 * change validates fully before it touches anything, then makes its side effects follow (client table size, log
 * levels, idlers, pending_max, checks, events).
 */
final class LiveState implements EngineState {
    private final Engine engine;
    private volatile Settings settings;
    private volatile HealthSettings health = HealthSettings.DEFAULTS;
    private volatile Server[] servers;
    private volatile InetSocketAddress emergencyAddress;
    private volatile InetSocketAddress abuseAddress;
    private volatile Acls acls = Acls.EMPTY;
    /** The node's HA role as keepalived last reported it (role): balancer state the snapshot and status page show. */
    private volatile NodeRole role = NodeRole.UNKNOWN;
    private volatile Upstream upstream = Upstream.DEFAULT;
    /** accept_proxy: off unless set; its reader is only in the pipeline of channels accepted while it is on. */
    private volatile AcceptProxy acceptProxy = AcceptProxy.OFF;
    /** Work the command being run handed to after the lock ({@link #afterLock}); touched only under the lock. */
    private final List<Runnable> afterLock = new java.util.ArrayList<>();

    /** The engine's state at start: {@code specs}' addresses are looked up now. */
    LiveState(Engine engine, List<ServerSpec> specs) {
        this.engine = engine;
        Server[] initial = new Server[specs.size()];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = new Server(i, specs.get(i));
            initial[i].address(address(specs.get(i)));
        }
        this.servers = initial;
    }

    // ---- for the data path: no copy, no check ----

    Server[] serverArray() { return servers; }
    InetSocketAddress emergencyAddress() { return emergencyAddress; }
    InetSocketAddress abuseAddress() { return abuseAddress; }

    // ---- EngineState ----

    @Override public Settings settings() { return settings; }

    @Override
    public void settings(Settings next) {
        InetSocketAddress e = next.emergency() == null ? null : address(next.emergency());
        InetSocketAddress a = next.abuse() == null ? null : address(next.abuse());
        Settings before = this.settings;
        this.emergencyAddress = e;
        this.abuseAddress = a;
        if (before == null || before.clientsMax() != next.clientsMax()) engine.clientTable().capacity(next.clientsMax());
        this.settings = next;
        if (before == null || before.debug() != next.debug()) engine.logLevels().debug(next.debug());
        if (before != null && before.idlers() != next.idlers()) engine.idlers().wanted(next.idlers());
        if (before != null) engine.pendingLimit().limitChanged(before.pendingMax(), next.pendingMax());
    }

    @Override public List<Server> servers() { return List.of(servers); }

    @Override
    public void server(int index, ServerSpec spec) {
        server(index, spec, spec.unused() ? null : NameLookup.now(spec.host()));
    }

    @Override
    public void server(int index, ServerSpec spec, InetAddress host) {
        Server[] current = servers;
        if (index < 0 || index > current.length) {
            throw new IllegalArgumentException("no server " + index + " (servers are 0-" + (current.length - 1) + ")");
        }
        if (spec.proxy() != ProxyVersion.OFF && engine.protocol() == Protocol.UDP) {
            throw new IllegalArgumentException("server " + index + ": proxy " + spec.proxy().word()
                    + " needs TCP: a PROXY header starts a TCP connection, and UDP mode (-U) has none");
        }
        if (!spec.unused() && host == null) host = NameLookup.now(spec.host());
        InetSocketAddress address = spec.unused() ? null : new InetSocketAddress(host, spec.port());
        if (index == current.length) {
            Server[] grown = Arrays.copyOf(current, current.length + 1);
            grown[index] = new Server(index, spec);
            grown[index].address(address);
            servers = grown;
            return;
        }
        Server s = current[index];
        boolean moved = !spec.host().equals(s.spec().host()) || spec.port() != s.spec().port();
        s.spec(spec);
        s.address(address);
        if (moved) {
            engine.clientTable().forgetServer(index);
            s.blacklist(nowMillis(), 0);
            s.checkFailed(false, nowMillis()); // the check's verdict was about the old address; it runs afresh
        }
    }

    @Override
    public void truncateServers(int count) {
        Server[] current = servers;
        if (count < 0 || count > current.length) throw new IllegalArgumentException("cannot keep " + count + " servers");
        for (int i = count; i < current.length; i++) engine.clientTable().forgetServer(i);
        servers = Arrays.copyOf(current, count);
    }

    @Override
    public void blacklistServer(int index, int seconds) {
        Server[] current = servers;
        if (index < 0 || index >= current.length) throw new IllegalArgumentException("no server " + index);
        current[index].blacklist(nowMillis(), seconds);
        engine.rotation().noteState(current[index],
                seconds > 0 ? "blacklisted by operator for " + seconds + " s" : "blacklist lifted by operator");
    }

    @Override public HealthSettings health() { return health; }

    @Override
    public void health(HealthSettings next) {
        health = Objects.requireNonNull(next);
    }

    private Server existing(int index) {
        Server[] current = servers;
        if (index < 0 || index >= current.length) {
            throw new IllegalArgumentException("no server " + index + " (servers are 0-" + (current.length - 1) + ")");
        }
        return current[index];
    }

    @Override
    public void serverOptions(int index, ServerOptions next) {
        Server s = existing(index);
        s.options(Objects.requireNonNull(next));
        if (next.check() == null && s.checkFailed()) { // no check, no verdict: at once, not at the prober's turn
            s.checkFailed(false, nowMillis());
            engine.rotation().noteState(s, "its check was turned off");
        }
    }

    @Override
    public void serverAdmin(int index, Server.Admin admin, int drainSeconds) {
        Server s = existing(index);
        Server.Admin before = s.admin();
        long now = nowMillis();
        long deadline = admin == Server.Admin.DRAIN && drainSeconds > 0 ? now + drainSeconds * 1000L : 0;
        s.admin(admin, deadline, now);
        String why = switch (admin) {
            case DRAIN -> "drained by operator" + (drainSeconds > 0 ? ", what is left closes in " + drainSeconds + " s" : "");
            case MAINT -> "taken out for maintenance by operator";
            case READY -> "made ready by operator";
        };
        if (before == Server.Admin.MAINT && admin != Server.Admin.MAINT && s.options().check() != null) {
            // Checks did not run in maintenance: the server waits for one to pass before it takes clients.
            s.checkFailed(true, now);
            engine.checks().afterMaintenance(s);
            why = "made ready by operator, waiting for its first check";
        }
        engine.rotation().noteState(s, why);
        if (deadline > 0) engine.rotation().scheduleDrainEnd(engine.group(), s, deadline);
    }

    @Override public HealthChecks.Report healthReport(Server s) { return engine.checks().report(s); }

    @Override
    public int closeServerConnections(int index) {
        Server s = existing(index);
        int n = engine.rotation().closeConnectionsOf(s, true);
        engine.events().add("server-state", "server " + index + " (" + Maglev.name(s.spec()) + "): "
                + n + (n == 1 ? " connection" : " connections") + " closed by operator");
        return n;
    }

    @Override public ConnectionTable connections() { return engine.connections(); }
    @Override public ClientTable clients() { return engine.clientTable(); }
    @Override public Endpoint listen() { return engine.listenEndpoint(); }
    @Override public SocketAddress listenAddress() { return engine.localAddress(); }
    @Override public AccessLog accessLog() { return engine.accessLog(); }
    @Override public NodeRole role() { return role; }

    @Override
    public void role(NodeRole next) {
        role = Objects.requireNonNull(next);
    }

    @Override
    public void listen(Endpoint endpoint) {
        Endpoint was = engine.listenEndpoint();
        SocketAddress wasBound = engine.localAddress();
        engine.listener().rebind(engine.group(), endpoint); // throws before the old listener is touched
        if (engine.group() == null) return;
        engine.pendingLimit().adjustAccept(); // a new listener starts accepting; pending_max may say otherwise
        engine.events().add("listen", "listener moved from " + where(was, wasBound) + " to "
                + where(endpoint, engine.localAddress()) + " (connections already open stay)");
    }

    /** A listener as the operator names it, with the port actually bound when 0 was asked for. */
    private static String where(Endpoint configured, SocketAddress bound) {
        if (configured instanceof Endpoint.Tcp t && t.port() == 0 && bound instanceof java.net.InetSocketAddress isa) {
            return new Endpoint.Tcp(t.host(), isa.getPort()).toString();
        }
        return String.valueOf(configured);
    }

    @Override public EngineEvents events() { return engine.events(); }
    @Override public Acls acls() { return acls; }
    @Override public TlsConfig tls() { return engine.clientSide().tlsConfig(); }
    @Override public Upstream upstream() { return upstream; }

    @Override
    public void upstream(Upstream next) {
        if (next.transparent() && !upstream.transparent()) Upstream.checkTransparent(engine.transport());
        if (next.source() != null && !next.source().equals(upstream.source())) Upstream.checkSource(next.source());
        upstream = next;
    }

    @Override public AcceptProxy acceptProxy() { return acceptProxy; }

    @Override
    public void acceptProxy(AcceptProxy next) {
        if (next.on() && engine.protocol() == Protocol.UDP) {
            throw new IllegalArgumentException("accept_proxy needs TCP: a PROXY header starts a TCP connection,"
                    + " and UDP mode (-U) has none");
        }
        if (next.equals(acceptProxy)) return;
        acceptProxy = next;
        engine.events().add("proxy", "accept_proxy " + next.describe() + " (for connections accepted from now on)");
    }

    @Override
    public void tls(TlsConfig next) {
        engine.clientSide().tls(next); // builds (and so checks every file) before anything is replaced
        engine.events().add("tls", next.enabled() ? "TLS termination configured" : "TLS termination off");
    }

    @Override
    public void acls(Acls next) {
        acls = Objects.requireNonNull(next);
    }

    @Override public long nowMillis() { return engine.clock().millis(); }
    @Override public long startedMillis() { return engine.startedMillis(); }
    @Override public Transport transport() { return engine.transport(); }
    @Override public int idlersOpen() { return engine.idlersOpen(); }

    private static InetSocketAddress address(HostPort hp) {
        return new InetSocketAddress(NameLookup.now(hp.host()), hp.port());
    }

    private static InetSocketAddress address(ServerSpec spec) {
        if (spec.unused()) return null;
        return new InetSocketAddress(NameLookup.now(spec.host()), spec.port());
    }

    @Override
    public void afterLock(Runnable work) {
        afterLock.add(work);
    }

    /** Takes the work the command just run handed to after the lock; called under the lock. */
    List<Runnable> takeAfterLock() {
        List<Runnable> work = List.copyOf(afterLock);
        afterLock.clear();
        return work;
    }
}
