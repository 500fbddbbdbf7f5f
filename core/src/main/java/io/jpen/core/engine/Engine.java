package io.jpen.core.engine;

import io.jpen.core.acl.AclCheck;
import io.jpen.core.acl.Acls;
import io.jpen.core.control.Command;
import io.jpen.core.control.Daemon;
import io.jpen.core.control.Reply;
import io.jpen.core.http.HttpForwardHandler;
import io.jpen.core.http.HttpRequestRewriter;
import io.jpen.core.tls.TlsConfig;
import io.jpen.core.tls.TlsTerminator;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.HashMethod;
import io.jpen.core.model.HostPort;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.ClientTable;
import io.jpen.core.select.Server;
import io.jpen.core.select.ServerSelector;
import io.jpen.core.select.Target;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The balancer: a listener, the servers, the live connections, and the one door through which state changes
 * ({@link #execute}). Runs in-process (the console) or as the daemon.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** Per-channel outbound buffer bounds: above high, the other side stops reading. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);
    /**
     * Every TCP channel's read sizing. The allocator holds only its limits (each channel keeps its own sizing state
     * in its handle), so one serves every socket instead of one object per socket of each idle pair.
     */
    private static final RecvByteBufAllocator READ_SIZING = new AdaptiveRecvByteBufAllocator();

    private final EngineOptions options;
    private final InstantSource clock;
    private final Transport transport;
    /** Whether bulk data moves by splice(2): on epoll, unless turned off. */
    private final boolean splice;
    private final EngineEvents events;
    private final LogLevelControl logLevels;
    private final ConnectionTable connections = new ConnectionTable();
    private final ClientTable clientTable;
    private final ServerSelector selector;
    private final Relay relay = new Relay(this);
    private final Object commandLock = new Object();
    private final State state = new State();
    private final Daemon daemon = new Daemon();
    private final NameLookup names;
    private final LocalShortage shortage;
    private final AtomicInteger pending = new AtomicInteger();
    /** Guards pausing and resuming the listener for pending_max; rare, so a lock is fine. */
    private volatile boolean acceptPaused;
    private final java.util.concurrent.ConcurrentLinkedQueue<PendingWaiter> pendingWaiters =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Idlers idlers;
    private final IdleSweep idleSweep = new IdleSweep(this);
    private io.netty.util.concurrent.ScheduledFuture<?> housekeeping;
    private volatile long housekeepingPasses;
    private final java.util.concurrent.atomic.LongAdder closedBytesUp = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedBytesDown = new java.util.concurrent.atomic.LongAdder();
    /** Bytes moved by splice rather than copied, from clients and from servers. */
    private final java.util.concurrent.atomic.LongAdder splicedUp = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder splicedDown = new java.util.concurrent.atomic.LongAdder();
    /** A Maglev rebuild handed to the background thread and not yet run (housekeeping asks for at most one). */
    private final java.util.concurrent.atomic.AtomicBoolean maglevRebuildQueued = new java.util.concurrent.atomic.AtomicBoolean();

    private volatile Settings settings;
    private volatile io.jpen.core.model.HealthSettings healthSettings = io.jpen.core.model.HealthSettings.DEFAULTS;
    /** Active checks (io.jpen.core.health); their verdicts come back through {@link #checkVerdict}. */
    private final io.jpen.core.health.HealthChecks health;
    private volatile Server[] servers;
    private volatile InetSocketAddress emergencyAddress;
    private volatile InetSocketAddress abuseAddress;
    private volatile Acls acls = Acls.EMPTY;
    private volatile Endpoint listenEndpoint;
    private volatile TlsConfig tlsConfig;
    private volatile Upstream upstream = Upstream.DEFAULT;
    /** accept_proxy: off unless set; its reader is only in the pipeline of channels accepted while it is on. */
    private volatile io.jpen.core.model.AcceptProxy acceptProxy = io.jpen.core.model.AcceptProxy.OFF;
    private final io.jpen.core.proxy.ProxyAcceptor proxyAcceptor;
    /** Built from tlsConfig; null when termination is off. */
    private volatile TlsTerminator tls;
    private volatile Channel listener;
    private EventLoopGroup group;
    private long startedMillis;

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
        this.splice = transport == Transport.EPOLL && !"off".equals(System.getProperty("jpen.splice"));
        this.events = new EngineEvents(clock);
        this.proxyAcceptor = new io.jpen.core.proxy.ProxyAcceptor(events::add);
        this.shortage = new LocalShortage(events, clock);
        this.clientTable = new ClientTable(options.settings().clientsMax(), clock);
        this.selector = new ServerSelector(clientTable, clock);
        this.listenEndpoint = options.listen();
        List<ServerSpec> specs = options.servers();
        Server[] initial = new Server[specs.size()];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = new Server(i, specs.get(i));
            initial[i].address(resolve(specs.get(i)));
        }
        this.servers = initial;
        this.idlers = new Idlers(this, options.settings().idlers());
        this.health = new io.jpen.core.health.HealthChecks(this::newProbeChannel, () -> healthSettings,
                () -> settings.timeoutSeconds(), clock, this::checkVerdict);
        applySettings(options.settings());
        applyTls(options.tls()); // a bad certificate fails here, before anything listens
        refreshMaglev();
    }

    private void applyTls(TlsConfig next) {
        if (next.enabled() && options.protocol() == Protocol.UDP) {
            throw new IllegalArgumentException("TLS termination works with TCP only, not with UDP mode (-U)");
        }
        TlsTerminator built = next.enabled() ? TlsTerminator.build(next) : null;
        tlsConfig = next;
        tls = built;
    }

    /** SNI domains that have their own certificate (empty without TLS or ssl_sni_path). */
    public List<String> tlsDomains() {
        TlsTerminator t = tls;
        return t == null ? List.of() : t.domains();
    }

    /** The TLS configuration (termination is on when it has a certificate). */
    public TlsConfig tlsConfig() {
        return tlsConfig;
    }

    /** Starts the event loops and binds the listener; throws with a clear message if the address is taken. */
    public synchronized void start() {
        if (group != null) throw new IllegalStateException("already started");
        // One event loop per core (0 = choose), not Netty's two per core: a relay never blocks, and a second loop
        // per core only adds context switches (the proxy is often pinned to one core).
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        // Named, so a thread dump or top -H tells the relay's loops from the API's and the console's.
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("jpen-io", Thread.MAX_PRIORITY),
                transport.ioHandlerFactory());
        startedMillis = clock.millis();
        try {
            listener = bind(listenEndpoint);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw e;
        }
        // Housekeeping (idle sweep, idler refill) shares one loop with the idlers, so the idlers need no locks.
        io.netty.channel.EventLoop keeper = (io.netty.channel.EventLoop) group.next();
        idlers.start(keeper);
        for (Server s : servers) {
            s.startRamp(startedMillis); // slow start counts a (re)start as coming up
            if (s.admin() == Server.Admin.DRAIN && s.drainDeadlineMillis() > 0) scheduleDrainEnd(s, s.drainDeadlineMillis());
        }
        health.start(group, servers);
        long every = options.housekeepingMillis();
        housekeeping = keeper.scheduleAtFixedRate(this::houseKeep, every, every, TimeUnit.MILLISECONDS);
        log.info("listening on {} {} ({} transport, {} servers)", options.protocol().word(), describe(listener),
                transport.word(), servers.length);
    }

    private Channel bind(Endpoint endpoint) {
        if (options.protocol() == Protocol.UDP) return bindUdp(endpoint);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .option(ChannelOption.MAX_MESSAGES_PER_READ, options.multiAccept())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(relay);
        SocketAddress address;
        if (endpoint instanceof Endpoint.Unix u) {
            b.channel(transport.serverDomainChannel());
            // Netty's NIO domain sockets cannot half-close: a client's EOF closes its side there.
            if (transport != Transport.NIO) b.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            try {
                Files.deleteIfExists(u.path()); // a stale socket file from an earlier run would block the bind
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove stale socket " + u.path(), e);
            }
            address = transport == Transport.NIO ? java.net.UnixDomainSocketAddress.of(u.path())
                    : new DomainSocketAddress(u.path().toFile());
        } else {
            Endpoint.Tcp t = (Endpoint.Tcp) endpoint;
            InetSocketAddress local = t.host() == null ? new InetSocketAddress(t.port())
                    : new InetSocketAddress(resolveHost(t.host()), t.port());
            b.channelFactory(() -> transport.newServerChannel(local))
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            address = local;
        }
        Channel bound;
        try {
            bound = b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot listen on " + endpoint + ": " + e.getMessage(), e);
        }
        // After the acceptor (added while registering): a failed accept is logged without a stack trace per second.
        bound.pipeline().addLast(shortage.acceptErrors());
        return bound;
    }

    private Channel bindUdp(Endpoint endpoint) {
        if (!(endpoint instanceof Endpoint.Tcp t)) {
            throw new IllegalArgumentException("UDP mode needs an IP listen address, not " + endpoint);
        }
        InetSocketAddress address = t.host() == null ? new InetSocketAddress(t.port())
                : new InetSocketAddress(resolveHost(t.host()), t.port());
        Bootstrap b = new Bootstrap()
                .group(group)
                .channelFactory(() -> transport.newDatagramChannel(address))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.RCVBUF_ALLOCATOR, WholeDatagrams.INSTANCE)
                .handler(new UdpRelay(this));
        try {
            return b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot listen on udp " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /** tcp or udp. */
    public Protocol protocol() {
        return options.protocol();
    }

    private static String describe(Channel ch) {
        return String.valueOf(ch.localAddress());
    }

    /** The address actually bound (useful when the port was 0). */
    public SocketAddress localAddress() {
        Channel l = listener;
        return l == null ? null : l.localAddress();
    }

    /** The bound TCP port, or -1 for a Unix socket or before start. */
    public int port() {
        return localAddress() instanceof InetSocketAddress isa ? isa.getPort() : -1;
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
        synchronized (commandLock) {
            try {
                return ready.apply(state);
            } catch (IllegalArgumentException e) {
                return Reply.error(e.getMessage());
            } finally {
                // Servers, weights, blacklists and hash_method change only through commands (or with time, see
                // houseKeep): the table is in step with them before the reply goes out.
                refreshMaglev();
                health.sync(servers);
                noteStates();
            }
        }
    }

    /**
     * Keeps hash_method maglev's table in step with the servers in rotation; O(servers) when nothing changed.
     * Runs under the command lock, on the thread of a command or of the background rebuild, never on an event loop.
     */
    private void refreshMaglev() {
        io.jpen.core.select.Maglev maglev = selector.maglev();
        if (settings.hashMethod() != HashMethod.MAGLEV) {
            maglev.clear();
            return;
        }
        if (maglev.refresh(servers, clock.millis())) {
            events.add("maglev", "lookup tables rebuilt: " + maglev.rotation().members().size() + " of "
                    + maglev.configured().members().size() + " servers in rotation");
        }
    }

    /**
     * From housekeeping, on an event loop: a blacklist set by a failed connect, or one that ran out, changes the
     * servers in rotation without a command. Noticing is O(servers); the rebuild goes to Netty's global background
     * thread, so no event loop spends milliseconds on it.
     */
    private void checkMaglev() {
        if (settings.hashMethod() != HashMethod.MAGLEV || !selector.maglev().stale(servers, clock.millis())) return;
        if (!maglevRebuildQueued.compareAndSet(false, true)) return;
        io.netty.util.concurrent.GlobalEventExecutor.INSTANCE.execute(() -> {
            maglevRebuildQueued.set(false);
            synchronized (commandLock) {
                refreshMaglev();
            }
        });
    }

    /**
     * The first step of a graceful stop: the listener closes, so new clients are refused by the kernel, and the
     * idlers go; connections already open carry on. {@link #close} ends what is left, with resets. A UDP listener
     * is its streams' only socket, so in UDP mode it stays until close.
     */
    public void stopAccepting() {
        if (options.protocol() == Protocol.UDP) return;
        idlers.stop();
        Channel l = listener;
        if (l == null) return;
        l.close().syncUninterruptibly();
        log.info("stopped accepting on {}; {} connections left", describe(l), connections.size());
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
        health.stop();
        idlers.stop();
        Channel l = listener;
        if (l != null) l.close().syncUninterruptibly();
        List<io.netty.util.concurrent.Future<?>> resets = new ArrayList<>();
        for (Connection c : connections.all()) resets.add(c.reset());
        // Before the loops shut down: they close what is still registered with a plain close (FIN).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (io.netty.util.concurrent.Future<?> r : resets) r.awaitUninterruptibly(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!resets.isEmpty()) log.info("{} connections reset", resets.size());
        g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (listenEndpoint instanceof Endpoint.Unix u) {
            try {
                Files.deleteIfExists(u.path());
            } catch (IOException ignored) {
                // best effort: a leftover socket file is removed again at the next start
            }
        }
        daemon.accessLog().close();
        log.info("stopped");
    }

    public boolean running() {
        return group != null;
    }

    // ---- read-only views for observers (snapshots, tests) ----

    public Settings settings() { return settings; }
    public List<Server> servers() { return List.of(servers); }
    public ConnectionTable connections() { return connections; }
    public ClientTable clientTable() { return clientTable; }
    public EngineEvents events() { return events; }
    /** The ten access lists (the control port checks control_acl against them). */
    public Acls acls() { return acls; }
    public InstantSource clock() { return clock; }
    public Transport transport() { return transport; }
    public Endpoint listenEndpoint() { return listenEndpoint; }
    /** The process around this engine (control port, files); the launcher fills it in. */
    public Daemon daemon() { return daemon; }
    public long startedMillis() { return startedMillis; }
    public int pendingConnects() { return pending.get(); }
    /** Bytes of connections that have ended (live ones are summed from their own counters). */
    public long closedBytesUp() { return closedBytesUp.sum(); }
    public long closedBytesDown() { return closedBytesDown.sum(); }
    /** Of all bytes from clients, those moved by splice (epoll) rather than copied through the JVM. */
    public long splicedBytesUp() { return splicedUp.sum(); }
    /** Of all bytes from servers, those moved by splice (epoll) rather than copied through the JVM. */
    public long splicedBytesDown() { return splicedDown.sum(); }

    void spliced(boolean fromClient, long bytes) {
        (fromClient ? splicedUp : splicedDown).add(bytes);
    }

    void closed(Connection c) {
        closedBytesUp.add(c.bytesUp());
        closedBytesDown.add(c.bytesDown());
    }

    // ---- for the data path ----

    Server[] serverArray() { return servers; }
    LocalShortage shortage() { return shortage; }
    ServerSelector selector() { return selector; }
    AclCheck acl() { return acls; }
    /** The ACL matcher in force (the control port checks control_acl with it). */
    public AclCheck aclCheck() { return acls; }

    /**
     * pending_max: takes a slot for one connect in progress, or returns false at the limit. At the limit the
     * listener also stops accepting, so further clients wait in the kernel's backlog (as with Pen) rather than in
     * jpen; the few accepted anyway (Netty finishes a read already asked for) wait in {@link #awaitPendingSlot}.
     */
    boolean pendingStarted() {
        int max = settings.pendingMax();
        while (true) {
            int n = pending.get();
            if (n >= max) {
                adjustAccept();
                return false;
            }
            if (pending.compareAndSet(n, n + 1)) {
                if (n + 1 >= max) adjustAccept();
                return true;
            }
        }
    }

    void pendingEnded() {
        int n = pending.decrementAndGet();
        wakePendingWaiters(1);
        if (n < settings.pendingMax() && acceptPaused) adjustAccept();
    }

    /** Runs {@code retry} on {@code loop} once a connect slot may be free (it calls pendingStarted again). */
    void awaitPendingSlot(io.netty.channel.EventLoop loop, Runnable retry) {
        pendingWaiters.add(new PendingWaiter(loop, retry));
        // A slot may have freed between the refusal and queueing; without this the waiter could sleep forever.
        if (pending.get() < settings.pendingMax()) wakePendingWaiters(1);
    }

    private void wakePendingWaiters(int n) {
        for (int i = 0; i < n; i++) {
            PendingWaiter w = pendingWaiters.poll();
            if (w == null) return;
            try {
                // A waiter whose client has gone meanwhile takes no slot: the wake-up passes on to the next one, or
                // the others would sleep until some later connect ends (for good, if none comes).
                w.loop().execute(() -> {
                    w.retry().run();
                    if (pending.get() < settings.pendingMax()) wakePendingWaiters(1);
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the engine is closing; the client's channel goes with it
            }
        }
    }

    private record PendingWaiter(io.netty.channel.EventLoop loop, Runnable retry) {}

    /**
     * Sets the listener's accepting to match the pending count now, on the listener's own event loop: from
     * another thread, setAutoRead(false) removes the accept interest in a task of its own, which can land after
     * a later setAutoRead(true) and leave the listener deaf with autoRead on. acceptPaused is raised before the
     * count is read, so a pendingEnded that lowers the count after the read sees it and comes back here.
     */
    private void adjustAccept() {
        Channel l = listener;
        if (l == null) return;
        if (!l.eventLoop().inEventLoop()) {
            try {
                l.eventLoop().execute(this::adjustAccept);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the engine is closing
            }
            return;
        }
        acceptPaused = true;
        boolean accept = pending.get() < settings.pendingMax();
        acceptPaused = !accept;
        if (l.config().isAutoRead() != accept) l.config().setAutoRead(accept);
    }

    /** Idle connections to the backends open right now (the first number of {@code Idlers: open/wanted}). */
    public int idlersOpen() { return idlers.current(); }

    private void houseKeep() {
        try {
            idleSweep.sweep();
            idlers.tick();
            noteStates();
            checkMaglev();
        } catch (RuntimeException e) {
            // A failed sweep must not cancel the periodic task (a thrown exception would).
            log.warn("housekeeping failed", e);
        }
        housekeepingPasses++; // one writer, the keeper loop
    }

    // ---- server lifecycle: states, active checks, drain ----

    /** A socket for a health check: the relay's kind of channel, unregistered, with the pooled allocator. */
    private Channel newProbeChannel(InetSocketAddress address) {
        Channel ch = transport.newSocketChannel(address);
        ch.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        ch.config().setConnectTimeoutMillis(0); // the probe times connect and answer together
        return ch;
    }

    /** An active check's verdict (on an event loop): the server goes down or comes back, now. */
    private void checkVerdict(Server s, boolean failed, String reason) {
        s.checkFailed(failed, clock.millis());
        noteState(s, reason);
        checkMaglev();
    }

    /**
     * Records each server's state; a change found here, not made by a command or a check, is Pen's blacklist
     * starting (a failed connect) or running out. O(servers), from housekeeping and after every command.
     */
    private void noteStates() {
        long now = clock.millis();
        for (Server s : servers) {
            io.jpen.core.select.ServerState st = s.state(now);
            io.jpen.core.select.ServerState before = s.notedState();
            if (st == before) continue;
            String why = switch (st) {
                case BLACKLISTED -> java.util.Objects.requireNonNullElse(events.lastFailure(s.index()), "a connect failed")
                        + ", out for " + Math.max(1, (s.blacklistedUntilMillis() - now + 999) / 1000) + " s";
                case UP -> before == io.jpen.core.select.ServerState.BLACKLISTED ? "blacklist time over" : "";
                case DISABLED -> "its slot was cleared (port 0)";
                default -> "";
            };
            noteState(s, why);
        }
    }

    /** Records {@code s}'s state with {@code why}; a change is an event ("server 1 (127.0.0.1:8083) is down: …"). */
    private void noteState(Server s, String why) {
        Server.Transition t = s.note(clock.millis(), why);
        if (t == null) return;
        String message = "server " + s.index() + " (" + io.jpen.core.select.Maglev.name(s.spec()) + ") " + t.to().phrase()
                + (t.reason().isEmpty() ? "" : ": " + t.reason()) + " (was " + t.from().word() + ")";
        if (t.to() == io.jpen.core.select.ServerState.UP) log.info(message); else log.warn(message);
        events.add("server-state", message);
    }

    /** At a timed drain's end, closes what is left, unless the operator changed the server's state since. */
    private void scheduleDrainEnd(Server s, long deadlineMillis) {
        EventLoopGroup g = group;
        if (g == null) return; // not started: start() schedules it
        long delay = Math.max(0, deadlineMillis - clock.millis());
        g.next().schedule(() -> {
            if (s.admin() != Server.Admin.DRAIN || s.drainDeadlineMillis() != deadlineMillis) return;
            int n = closeConnectionsOf(s, false);
            events.add("server-state", "server " + s.index() + " (" + io.jpen.core.select.Maglev.name(s.spec())
                    + "): drain time over, " + n + (n == 1 ? " connection" : " connections") + " closed");
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Closes every live connection of {@code s}: at once ({@code abort}) or after writing what is queued. */
    private int closeConnectionsOf(Server s, boolean abort) {
        int n = 0;
        for (Connection c : connections.all()) {
            if (c.target() != s.index() || !Target.regular(c.target())) continue;
            if (abort) c.abort(); else c.close();
            n++;
        }
        return n;
    }

    /** The active checks' results so far for {@code s} (null when it never had a check). */
    public io.jpen.core.health.HealthChecks.Report healthReport(Server s) {
        return health.report(s);
    }

    /** Health checks started so far (all servers). */
    public long healthProbes() {
        return health.probes();
    }

    public io.jpen.core.model.HealthSettings healthSettings() {
        return healthSettings;
    }

    /** Housekeeping passes so far: a test waits for one to pass after a change instead of sleeping. */
    long housekeepingPasses() { return housekeepingPasses; }

    /** Accepted clients waiting for a connect slot (pending_max). */
    int pendingWaiting() { return pendingWaiters.size(); }

    /** Whether the listener takes new clients now; false while pending_max leaves them in the kernel's backlog. */
    boolean accepting() {
        Channel l = listener;
        return l != null && l.config().isAutoRead();
    }

    InetSocketAddress addressOf(int target) {
        if (Target.regular(target)) {
            Server[] s = servers;
            return target < s.length ? s[target].address() : null;
        }
        if (target == Target.EMERGENCY) return emergencyAddress;
        if (target == Target.ABUSE) return abuseAddress;
        return null;
    }

    /**
     * An accepted client channel's socket options and read sizing, before its first read: Netty keeps the read
     * sizing it starts reading with, so a PROXY header read first must already be read with the sizing that lets
     * the bytes after it be spliced.
     */
    void prepareDown(Channel down) {
        down.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        readSizing(down.config());
        Settings s = settings;
        // Per accepted channel rather than as listener child options, so a change applies to the next client.
        // Unix-domain channels do not know these options and ignore them.
        down.config().setOption(ChannelOption.TCP_NODELAY, s.tcpNodelay());
        // A new socket has keepalive off already: one setsockopt per connection saved where it is not wanted.
        if (s.keepalive()) down.config().setOption(ChannelOption.SO_KEEPALIVE, true);
    }

    /** Hook for modes that add handlers on the client side (HTTP headers, TLS). */
    void decorateDown(Channel down, Connection conn) {
        Settings s = settings;
        TlsTerminator t = tls;
        ByteDump dump = ByteDump.wanted(s, conn.id(), true);
        if (t == null && dump == null && !s.dummy() && !s.http()) return;
        String client = io.netty.util.NetUtil.toAddressString(conn.clientAddress());
        if (t != null) {
            down.pipeline().addLast("tls", t.newHandler(down));
            down.pipeline().addLast("tls-events", new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent e && !e.isSuccess()) {
                        events.add("tls", "handshake with " + client + " failed: "
                                + io.jpen.core.model.Reasons.of(e.cause(), (String) null));
                    }
                    ctx.fireUserEventTriggered(evt);
                }
            });
        }
        if (dump != null) down.pipeline().addLast(ByteDump.NAME, dump); // after TLS: the bytes as the server sees them
        if (s.dummy()) {
            DummyHttp.install(down, conn, relay);
        } else if (s.http()) {
            down.pipeline().addLast("http", new HttpForwardHandler(client, t != null ? "https" : "http",
                    HttpRequestRewriter.DEFAULT_HEAD_LIMIT, reason -> events.add("http", reason)));
        }
    }

    /**
     * Where bulk data can be spliced (epoll), each channel gets sizing the relay can switch to small reads; elsewhere
     * all share one. {@code -Djpen.splice=off} keeps epoll copying, to compare the two.
     */
    private void readSizing(io.netty.channel.ChannelConfig c) {
        if (splice) {
            c.setRecvByteBufAllocator(new SpliceSizing());
            c.setMessageSizeEstimator(SpliceSizing.SIZE);
        } else {
            c.setRecvByteBufAllocator(READ_SIZING);
        }
    }

    /** Whether this connection goes to a server at all (false when jpen answers by itself). */
    boolean connectUp(Connection conn) {
        return !DummyHttp.installed(conn);
    }

    /**
     * A new server-side channel to {@code address}, set up as the relay needs it and not yet registered. It stands
     * in for a Bootstrap on the path every client takes: no options map, resolver or initializer per connection.
     * Throws when no socket can be opened (descriptors exhausted).
     */
    Channel newUpChannel(InetSocketAddress address, Settings s, io.netty.channel.ChannelHandler relay) {
        Channel up = transport.newSocketChannel(address);
        try {
            io.netty.channel.ChannelConfig c = up.config();
            c.setAutoRead(false);
            c.setAllocator(PooledByteBufAllocator.DEFAULT);
            c.setWriteBufferWaterMark(WATER_MARK);
            readSizing(c);
            c.setConnectTimeoutMillis(0); // the relay times the connect itself (Relay.scheduleConnectTimeout)
            c.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            // A new channel has nodelay on already (Netty's default) and keepalive off (the kernel's): one
            // setsockopt each per connection saved where the setting matches.
            if (s.tcpNodelay() != io.netty.util.internal.PlatformDependent.canEnableTcpNoDelayByDefault()) {
                c.setOption(ChannelOption.TCP_NODELAY, s.tcpNodelay());
            }
            if (s.keepalive()) c.setOption(ChannelOption.SO_KEEPALIVE, true);
            up.pipeline().addLast("relay", relay);
            return up;
        } catch (RuntimeException e) {
            up.unsafe().closeForcibly();
            throw e;
        }
    }

    /**
     * Where an upstream connection comes from: the client's own address (transparent, which also sets the
     * transport's IP_TRANSPARENT option on {@code up}), the source IP, or null for anywhere.
     */
    SocketAddress upLocalAddress(Channel up, InetAddress client) {
        Upstream u = upstream;
        InetSocketAddress local = localFor(u, client);
        if (u.transparent() && client != null) up.config().setOption(Upstream.option(transport), true);
        return local;
    }

    /** The same for a Bootstrap (UDP streams), which also gets the relay's buffer settings. */
    Bootstrap bindSource(Bootstrap b, InetAddress client) {
        b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        Upstream u = upstream;
        InetSocketAddress local = localFor(u, client);
        if (local == null) return b;
        if (u.transparent() && client != null) b.option(Upstream.option(transport), true);
        return b.localAddress(local);
    }

    private static InetSocketAddress localFor(Upstream u, InetAddress client) {
        if (u.transparent() && client != null) return new InetSocketAddress(client, 0);
        return u.source() != null ? new InetSocketAddress(u.source(), 0) : null;
    }

    /** Pen's source and transparent settings for upstream connections. */
    public Upstream upstream() {
        return upstream;
    }

    /** Whether new connections must start with a PROXY header, and from which peers. */
    public io.jpen.core.model.AcceptProxy acceptProxy() {
        return acceptProxy;
    }

    io.jpen.core.proxy.ProxyAcceptor proxyAcceptor() {
        return proxyAcceptor;
    }

    /** accept_proxy and its counts, for observers. */
    public io.jpen.core.model.ProxyView proxyView() {
        return proxyAcceptor.view(acceptProxy);
    }

    /** A listener as the operator names it, with the port actually bound when 0 was asked for. */
    private static String where(Endpoint configured, SocketAddress bound) {
        if (configured instanceof Endpoint.Tcp t && t.port() == 0 && bound instanceof java.net.InetSocketAddress isa) {
            return new Endpoint.Tcp(t.host(), isa.getPort()).toString();
        }
        return String.valueOf(configured);
    }

    /** Hook for {@code server N proxy v1|v2}: the header goes to the server before any byte of the client's. */
    void sendProxyHeader(Connection conn, Channel up) {
        Server server = conn.server();
        if (server == null) return; // the emergency and abuse servers have no PROXY setting
        io.jpen.core.model.ProxyVersion v = server.spec().proxy();
        if (v != io.jpen.core.model.ProxyVersion.OFF) {
            io.jpen.core.proxy.ProxyHeaderWriter.write(up, v, conn.clientSocket(), conn.destination());
        }
    }

    // ---- state changes, reached only through execute() ----

    private void applySettings(Settings next) {
        InetSocketAddress e = next.emergency() == null ? null : resolve(next.emergency());
        InetSocketAddress a = next.abuse() == null ? null : resolve(next.abuse());
        Settings before = this.settings;
        this.emergencyAddress = e;
        this.abuseAddress = a;
        if (before == null || before.clientsMax() != next.clientsMax()) clientTable.capacity(next.clientsMax());
        this.settings = next;
        if (before == null || before.debug() != next.debug()) logLevels.debug(next.debug());
        if (before != null && before.idlers() != next.idlers()) idlers.wanted(next.idlers());
        if (before != null && before.pendingMax() != next.pendingMax()) {
            adjustAccept();
            wakePendingWaiters(Math.max(0, next.pendingMax() - pending.get()));
        }
    }

    private static InetSocketAddress resolve(HostPort hp) {
        return new InetSocketAddress(resolveHost(hp.host()), hp.port());
    }

    private static InetSocketAddress resolve(ServerSpec spec) {
        if (spec.unused()) return null;
        return new InetSocketAddress(resolveHost(spec.host()), spec.port());
    }

    static InetAddress resolveHost(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown or invalid address '" + host + "'");
        }
    }

    private final class State implements EngineState {
        @Override public Settings settings() { return settings; }

        @Override
        public void settings(Settings next) {
            applySettings(next);
        }

        @Override public List<Server> servers() { return List.of(servers); }

        @Override
        public void server(int index, ServerSpec spec) {
            server(index, spec, spec.unused() ? null : resolveHost(spec.host()));
        }

        @Override
        public void server(int index, ServerSpec spec, InetAddress host) {
            Server[] current = servers;
            if (index < 0 || index > current.length) {
                throw new IllegalArgumentException("no server " + index + " (servers are 0-" + (current.length - 1) + ")");
            }
            if (spec.proxy() != io.jpen.core.model.ProxyVersion.OFF && options.protocol() == Protocol.UDP) {
                throw new IllegalArgumentException("server " + index + ": proxy " + spec.proxy().word()
                        + " needs TCP: a PROXY header starts a TCP connection, and UDP mode (-U) has none");
            }
            if (!spec.unused() && host == null) host = resolveHost(spec.host());
            InetSocketAddress address = spec.unused() ? null : new InetSocketAddress(host, spec.port());
            if (index == current.length) {
                Server[] grown = java.util.Arrays.copyOf(current, current.length + 1);
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
                clientTable.forgetServer(index);
                s.blacklist(clock.millis(), 0);
                s.checkFailed(false, clock.millis()); // the check's verdict was about the old address; it runs afresh
            }
        }

        @Override
        public void truncateServers(int count) {
            Server[] current = servers;
            if (count < 0 || count > current.length) throw new IllegalArgumentException("cannot keep " + count + " servers");
            for (int i = count; i < current.length; i++) clientTable.forgetServer(i);
            servers = java.util.Arrays.copyOf(current, count);
        }

        @Override
        public void blacklistServer(int index, int seconds) {
            Server[] current = servers;
            if (index < 0 || index >= current.length) throw new IllegalArgumentException("no server " + index);
            current[index].blacklist(clock.millis(), seconds);
            noteState(current[index], seconds > 0 ? "blacklisted by operator for " + seconds + " s" : "blacklist lifted by operator");
        }

        @Override public io.jpen.core.model.HealthSettings health() { return healthSettings; }

        @Override
        public void health(io.jpen.core.model.HealthSettings next) {
            healthSettings = java.util.Objects.requireNonNull(next);
        }

        private Server existing(int index) {
            Server[] current = servers;
            if (index < 0 || index >= current.length) {
                throw new IllegalArgumentException("no server " + index + " (servers are 0-" + (current.length - 1) + ")");
            }
            return current[index];
        }

        @Override
        public void serverOptions(int index, io.jpen.core.model.ServerOptions next) {
            Server s = existing(index);
            s.options(java.util.Objects.requireNonNull(next));
            if (next.check() == null && s.checkFailed()) { // no check, no verdict: at once, not at the prober's turn
                s.checkFailed(false, clock.millis());
                noteState(s, "its check was turned off");
            }
        }

        @Override
        public void serverAdmin(int index, Server.Admin admin, int drainSeconds) {
            Server s = existing(index);
            Server.Admin before = s.admin();
            long now = clock.millis();
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
                health.afterMaintenance(s);
                why = "made ready by operator, waiting for its first check";
            }
            noteState(s, why);
            if (deadline > 0) scheduleDrainEnd(s, deadline);
        }

        @Override public io.jpen.core.health.HealthChecks.Report healthReport(Server s) { return health.report(s); }

        @Override
        public int closeServerConnections(int index) {
            Server s = existing(index);
            int n = closeConnectionsOf(s, true);
            events.add("server-state", "server " + index + " (" + io.jpen.core.select.Maglev.name(s.spec()) + "): "
                    + n + (n == 1 ? " connection" : " connections") + " closed by operator");
            return n;
        }

        @Override public ConnectionTable connections() { return connections; }
        @Override public ClientTable clients() { return clientTable; }
        @Override public Endpoint listen() { return listenEndpoint; }
        @Override public SocketAddress listenAddress() { return localAddress(); }
        @Override public Daemon daemon() { return daemon; }

        @Override
        public void listen(Endpoint endpoint) {
            if (group == null) {
                listenEndpoint = endpoint;
                return;
            }
            Channel next = bind(endpoint); // throws before the old listener is touched
            Endpoint was = listenEndpoint;
            SocketAddress wasBound = localAddress();
            Channel old = listener;
            listener = next;
            listenEndpoint = endpoint;
            if (old != null) {
                // Wait for the old socket to be released, so that going back to it (a config rollback) can bind.
                var closing = old.close();
                if (!old.eventLoop().inEventLoop()) closing.awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            adjustAccept(); // a new listener starts accepting; pending_max may say otherwise
            events.add("listen", "listener moved from " + where(was, wasBound) + " to " + where(endpoint, localAddress())
                    + " (connections already open stay)");
        }

        @Override public EngineEvents events() { return events; }
        @Override public Acls acls() { return acls; }
        @Override public TlsConfig tls() { return tlsConfig; }
        @Override public Upstream upstream() { return upstream; }

        @Override
        public void upstream(Upstream next) {
            if (next.transparent() && !upstream.transparent()) Upstream.checkTransparent(transport);
            if (next.source() != null && !next.source().equals(upstream.source())) Upstream.checkSource(next.source());
            upstream = next;
        }

        @Override public io.jpen.core.model.AcceptProxy acceptProxy() { return acceptProxy; }

        @Override
        public void acceptProxy(io.jpen.core.model.AcceptProxy next) {
            if (next.on() && options.protocol() == Protocol.UDP) {
                throw new IllegalArgumentException("accept_proxy needs TCP: a PROXY header starts a TCP connection,"
                        + " and UDP mode (-U) has none");
            }
            if (next.equals(acceptProxy)) return;
            acceptProxy = next;
            events.add("proxy", "accept_proxy " + next.describe() + " (for connections accepted from now on)");
        }

        @Override
        public void tls(TlsConfig next) {
            applyTls(next); // builds (and so checks every file) before anything is replaced
            events.add("tls", next.enabled() ? "TLS termination configured" : "TLS termination off");
        }

        @Override
        public void acls(Acls next) {
            acls = java.util.Objects.requireNonNull(next);
        }
        @Override public long nowMillis() { return clock.millis(); }
        @Override public long startedMillis() { return startedMillis; }
        @Override public Transport transport() { return transport; }
        @Override public int idlersOpen() { return idlers.current(); }
    }

    /** Every live connection, for closing or listing. */
    public List<Connection> connectionList() {
        return new ArrayList<>(connections.all());
    }
}
