package io.jpen.core.engine;

import io.jpen.core.model.Reasons;
import io.jpen.core.acl.AclCheck;
import io.jpen.core.acl.Acls;
import io.jpen.core.engine.health.HealthChecks;
import io.jpen.core.engine.proxy.ProxyAcceptor;
import io.jpen.core.engine.proxy.ProxyHeaderWriter;
import io.jpen.core.model.AcceptProxy;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.HealthSettings;
import io.jpen.core.model.NodeRole;
import io.jpen.core.model.ProxyVersion;
import io.jpen.core.model.ProxyView;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Settings;
import io.jpen.core.select.ClientTable;
import io.jpen.core.select.Server;
import io.jpen.core.select.ServerSelector;
import io.jpen.core.select.Target;
import io.jpen.core.tls.TlsConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The balancer: it owns the parts (listener, relay, server selection, active checks, idlers) and their event
 * loops, starts and stops them, and runs every change of state as a {@link Command} under one lock
 * ({@link #execute}). Runs in-process (the console) or as the daemon.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final EngineOptions options;
    private final InstantSource clock;
    private final Transport transport;
    private final EngineEvents events;
    private final LogLevelControl logLevels;
    private final NameLookup names;
    private final ConnectionTable connections = new ConnectionTable();
    private final ClientTable clientTable;
    private final ServerSelector selector;
    private final Relay relay = new Relay(this);
    private final Object commandLock = new Object();
    private final LiveState state;
    /** Pen's access log (-l, log): written by the relay on the data path, so it lives here. */
    private final AccessLog accessLog = new AccessLog();
    private final LocalShortage shortage;
    private final ChannelSetup channels;
    private final ClientSide clientSide;
    private final Listener listener;
    private final PendingLimit pending;
    private final Rotation rotation;
    private final Traffic traffic = new Traffic();
    private final Idlers idlers;
    private final IdleSweep idleSweep = new IdleSweep(this);
    /** Active checks (engine.health); their verdicts come back through {@link Rotation#checkVerdict}. */
    private final HealthChecks checks;
    private final ProxyAcceptor proxyAcceptor;
    private ScheduledFuture<?> housekeeping;
    private volatile long housekeepingPasses;
    private volatile EventLoopGroup group;
    private long startedMillis;
    /** epoll_ctl calls of the event loops so far (0 on other transports). */
    private java.util.function.LongSupplier epollCtl = () -> 0;

    /** An engine that leaves the process's log levels as configured: {@code debug N} is only recorded. */
    public Engine(EngineOptions options) {
        this(options, LogLevelControl.FIXED);
    }

    /** An engine whose {@code debug N} sets the process's log levels through {@code logLevels}. */
    public Engine(EngineOptions options, LogLevelControl logLevels) {
        this(options, logLevels, NameLookup.system());
    }

    /** With the name lookups commands use ({@code server N address NAME}); tests give a slow or failing one. */
    public Engine(EngineOptions options, NameLookup names) {
        this(options, LogLevelControl.FIXED, names);
    }

    public Engine(EngineOptions options, LogLevelControl logLevels, NameLookup names) {
        this.options = options;
        this.logLevels = logLevels;
        this.names = names;
        this.clock = options.clock();
        this.transport = options.transport();
        this.events = new EngineEvents(clock);
        this.proxyAcceptor = new ProxyAcceptor(events::add);
        this.shortage = new LocalShortage(events, clock);
        this.clientTable = new ClientTable(options.settings().clientsMax(), clock);
        this.selector = new ServerSelector(clientTable, clock);
        this.channels = new ChannelSetup(transport);
        this.clientSide = new ClientSide(options.protocol(), events, relay);
        this.listener = new Listener(options, relay, () -> new UdpRelay(this), shortage);
        this.state = new LiveState(this, options.servers());
        this.pending = new PendingLimit(() -> state.settings().pendingMax(), listener::channel);
        this.rotation = new Rotation(clock, events, selector.maglev(), connections, state::serverArray,
                state::settings, commandLock);
        this.idlers = new Idlers(this, options.settings().idlers());
        this.checks = new HealthChecks(channels::newProbeChannel, state::health,
                () -> state.settings().timeoutSeconds(), clock, rotation::checkVerdict);
        state.settings(options.settings());
        clientSide.tls(options.tls()); // a bad certificate fails here, before anything listens
        rotation.refreshMaglev();
    }

    /** Starts the event loops and binds the listener; throws with a clear message if the address is taken. */
    public synchronized void start() {
        if (group != null) throw new IllegalStateException("already started");
        // One event loop per core (0 = choose), not Netty's two per core: a relay never blocks, and a second loop
        // per core only adds context switches (the proxy is often pinned to one core).
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        // Named, so a thread dump or top -H tells the relay's loops from the API's and the console's.
        io.netty.channel.IoHandlerFactory io = transport.ioHandlerFactory(clock);
        if (io instanceof EpollSetKeeper.Factory keeper) epollCtl = keeper::ctlCalls;
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("jpen-io", Thread.MAX_PRIORITY), io);
        startedMillis = clock.millis();
        try {
            listener.start(g);
        } catch (RuntimeException e) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        group = g;
        // Housekeeping (idle sweep, idler refill) shares one loop with the idlers, so the idlers need no locks.
        EventLoop keeper = g.next();
        idlers.start(keeper);
        Server[] servers = state.serverArray();
        for (Server s : servers) {
            s.startRamp(startedMillis); // slow start counts a (re)start as coming up
            if (s.admin() == Server.Admin.DRAIN && s.drainDeadlineMillis() > 0) rotation.scheduleDrainEnd(g, s, s.drainDeadlineMillis());
        }
        checks.start(g, servers);
        long every = options.housekeepingMillis();
        housekeeping = keeper.scheduleAtFixedRate(this::houseKeep, every, every, TimeUnit.MILLISECONDS);
        log.info("listening on {} {} ({} transport, {} servers)", options.protocol().word(), listener.localAddress(),
                transport.word(), servers.length);
    }

    /**
     * Runs a command under the control lock: commands never interleave, so none sees another half-applied. What may
     * wait (files, name lookups) is done first, outside the lock ({@link Command#prepare}).
     */
    public Reply execute(Command command) {
        Command ready;
        try {
            ready = command.prepare(names);
        } catch (IllegalArgumentException e) {
            return Reply.error(e.getMessage());
        }
        Reply reply;
        List<Runnable> after;
        synchronized (commandLock) {
            try {
                reply = ready.apply(state);
            } catch (IllegalArgumentException e) {
                return Reply.error(e.getMessage());
            } finally {
                after = state.takeAfterLock(); // a refused command's work is dropped with it
                // Servers, weights, blacklists and hash_method change only through commands (or with time, see
                // houseKeep): the table is in step with them before the reply goes out.
                rotation.refreshMaglev();
                checks.sync(state.serverArray());
                rotation.noteStates();
            }
        }
        try {
            for (Runnable work : after) work.run();
        } catch (IllegalArgumentException e) {
            return Reply.error(e.getMessage());
        }
        return reply;
    }

    /**
     * The first step of a graceful stop: the listener closes, so new clients are refused by the kernel, and the
     * idlers go; connections already open carry on. {@link #close} ends what is left, with resets. A UDP listener
     * is its streams' only socket, so in UDP mode it stays until close.
     */
    public void stopAccepting() {
        if (options.protocol() == Protocol.UDP) return;
        idlers.stop();
        SocketAddress was = listener.close();
        if (was != null) log.info("stopped accepting on {}; {} connections left", was, connections.size());
    }

    /**
     * Stops at once: the listener closes, and every connection left is reset (RST, not FIN), so neither end takes a
     * transfer cut off here for a complete one.
     */
    @Override
    public void close() {
        EventLoopGroup g;
        synchronized (this) {
            g = group;
            group = null;
        }
        if (g == null) return;
        if (housekeeping != null) housekeeping.cancel(false);
        checks.stop();
        idlers.stop();
        listener.close();
        List<Future<?>> resets = new ArrayList<>();
        for (Connection c : connections.all()) resets.add(c.reset());
        // Before the loops shut down: they close what is still registered with a plain close (FIN).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Future<?> r : resets) r.awaitUninterruptibly(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!resets.isEmpty()) log.info("{} connections reset", resets.size());
        g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        listener.removeSocketFile();
        accessLog.close();
        log.info("stopped");
    }

    public boolean running() {
        return group != null;
    }

    private void houseKeep() {
        try {
            idleSweep.sweep();
            idlers.tick();
            rotation.noteStates();
            rotation.checkMaglev();
        } catch (RuntimeException e) {
            // A failed sweep must not cancel the periodic task (a thrown exception would).
            log.warn("housekeeping failed: {}", Reasons.words(e));
            log.debug("housekeeping failed", e);
        }
        housekeepingPasses++; // one writer, the keeper loop
    }

    // ---- read-only views for observers (snapshots, tests) ----

    public Settings settings() { return state.settings(); }
    public List<Server> servers() { return state.servers(); }
    public ConnectionTable connections() { return connections; }
    public ClientTable clientTable() { return clientTable; }
    public EngineEvents events() { return events; }
    /** The ten access lists (the control port checks control_acl against them). */
    public Acls acls() { return state.acls(); }
    /** The ACL matcher in force (the control port checks control_acl with it). */
    public AclCheck aclCheck() { return state.acls(); }
    public InstantSource clock() { return clock; }
    public Transport transport() { return transport; }
    /** tcp or udp. */
    public Protocol protocol() { return options.protocol(); }
    public Endpoint listenEndpoint() { return listener.endpoint(); }
    /** The address actually bound (useful when the port was 0). */
    public SocketAddress localAddress() { return listener.localAddress(); }
    /** The bound TCP port, or -1 for a Unix socket or before start. */
    public int port() { return localAddress() instanceof InetSocketAddress isa ? isa.getPort() : -1; }
    /** Pen's access log ({@code -l}, {@code log}); the relay writes it. */
    public AccessLog accessLog() { return accessLog; }
    public long startedMillis() { return startedMillis; }
    /** The node's HA role as keepalived last reported it ({@code role}), and since when. */
    public NodeRole role() { return state.role(); }
    public int pendingConnects() { return pending.count(); }
    /** Idle connections to the backends open right now (the first number of {@code Idlers: open/wanted}). */
    public int idlersOpen() { return idlers.current(); }
    /** Bytes of connections that have ended (live ones are summed from their own counters). */
    public long closedBytesUp() { return traffic.closedUp(); }
    public long closedBytesDown() { return traffic.closedDown(); }
    /** Of all bytes from clients, those moved by splice (epoll) rather than copied through the JVM. */
    public long splicedBytesUp() { return traffic.splicedUp(); }
    /** Of all bytes from servers, those moved by splice (epoll) rather than copied through the JVM. */
    public long splicedBytesDown() { return traffic.splicedDown(); }
    /** The TLS configuration (termination is on when it has a certificate). */
    public TlsConfig tlsConfig() { return clientSide.tlsConfig(); }
    /** SNI domains that have their own certificate (empty without TLS or ssl_sni_path). */
    public List<String> tlsDomains() { return clientSide.tlsDomains(); }
    /** Pen's source and transparent settings for upstream connections. */
    public Upstream upstream() { return state.upstream(); }
    /** Whether new connections must start with a PROXY header, and from which peers. */
    public AcceptProxy acceptProxy() { return state.acceptProxy(); }
    /** accept_proxy and its counts, for observers. */
    public ProxyView proxyView() { return proxyAcceptor.view(state.acceptProxy()); }
    /** The active checks' results so far for {@code s} (null when it never had a check). */
    public HealthChecks.Report healthReport(Server s) { return checks.report(s); }
    /** Health checks started so far (all servers). */
    public long healthProbes() { return checks.probes(); }
    public HealthSettings healthSettings() { return state.health(); }

    /** Every live connection, for closing or listing. */
    public List<Connection> connectionList() {
        return new ArrayList<>(connections.all());
    }

    // ---- for the parts, within the engine ----

    LogLevelControl logLevels() { return logLevels; }
    Idlers idlers() { return idlers; }
    PendingLimit pendingLimit() { return pending; }
    Listener listener() { return listener; }
    EventLoopGroup group() { return group; }
    Rotation rotation() { return rotation; }
    HealthChecks checks() { return checks; }
    ClientSide clientSide() { return clientSide; }
    /** epoll_ctl calls the event loops have made for sockets so far; 0 on other transports. */
    long epollCtlCalls() { return epollCtl.getAsLong(); }

    /** Housekeeping passes so far: a test waits for one to pass after a change instead of sleeping. */
    long housekeepingPasses() { return housekeepingPasses; }

    // ---- for the data path ----

    Server[] serverArray() { return state.serverArray(); }
    LocalShortage shortage() { return shortage; }
    ServerSelector selector() { return selector; }
    AclCheck acl() { return state.acls(); }
    ProxyAcceptor proxyAcceptor() { return proxyAcceptor; }
    void spliced(boolean fromClient, long bytes) { traffic.spliced(fromClient, bytes); }
    void closed(Connection c) { traffic.closed(c); }
    /** pending_max: a slot for one connect, or false at the limit ({@link PendingLimit#started}). */
    boolean pendingStarted() { return pending.started(); }
    void pendingEnded() { pending.ended(); }
    /** Runs {@code retry} on {@code loop} once a connect slot may be free. */
    void awaitPendingSlot(EventLoop loop, Runnable retry) { pending.await(loop, retry); }
    /** Accepted clients waiting for a connect slot (pending_max). */
    int pendingWaiting() { return pending.waiting(); }

    /** Whether the listener takes new clients now; false while pending_max leaves them in the kernel's backlog. */
    boolean accepting() {
        Channel l = listener.channel();
        return l != null && l.config().isAutoRead();
    }

    InetSocketAddress addressOf(int target) {
        if (Target.regular(target)) {
            Server[] s = state.serverArray();
            return target < s.length ? s[target].address() : null;
        }
        if (target == Target.EMERGENCY) return state.emergencyAddress();
        if (target == Target.ABUSE) return state.abuseAddress();
        return null;
    }

    void prepareDown(Channel down, RelayHandler relay) { channels.prepareDown(down, state.settings(), relay); }
    /** Hook for modes that add handlers on the client side (HTTP headers, TLS). */
    void decorateDown(Channel down, Connection conn) { clientSide.decorate(down, conn, state.settings()); }
    /** Whether this connection goes to a server at all (false when jpen answers by itself). */
    boolean connectUp(Connection conn) { return !DummyHttp.installed(conn); }

    Channel newUpChannel(InetSocketAddress address, Settings s, RelayHandler relay) {
        return channels.newUpChannel(address, s, relay);
    }

    SocketAddress upLocalAddress(Channel up, InetAddress client) {
        return channels.upLocalAddress(state.upstream(), up, client);
    }

    Bootstrap bindSource(Bootstrap b, InetAddress client) {
        return channels.bindSource(state.upstream(), b, client);
    }

    /**
     * Whether the next client is a plain pair ({@link PlainPair}): nothing on its path needs Netty's channels (Pen's -l
     * log is a plain pair's own), as with
     * Pen's own options, unless the options turned them off (EngineOptions#plainPairs).
     */
    boolean plainPairs() {
        if (!options.plainPairs()) return false;
        Settings s = state.settings();
        if (s.http() || s.dummy() || s.ascii() || s.debug() >= ByteDump.DEBUG_LEVEL) return false;
        if (clientSide.terminatesTls() || state.acceptProxy().on()) return false;
        Upstream u = state.upstream();
        if (u.source() != null || u.transparent()) return false;
        for (Server server : state.serverArray()) {
            if (server != null && server.spec().proxy() != ProxyVersion.OFF) return false;
        }
        return true;
    }

    boolean splice() { return channels.splice(); }

    /** Hook for {@code server N proxy v1|v2}: the header goes to the server before any byte of the client's. */
    void sendProxyHeader(Connection conn, Channel up) {
        Server server = conn.server();
        if (server == null) return; // the emergency and abuse servers have no PROXY setting
        ProxyVersion v = server.spec().proxy();
        if (v != ProxyVersion.OFF) ProxyHeaderWriter.write(up, v, conn.clientSocket(), conn.destination());
    }
}
