package io.jpen.core.engine;

import io.jpen.core.acl.AclCheck;
import io.jpen.core.control.Command;
import io.jpen.core.control.Reply;
import io.jpen.core.model.Endpoint;
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
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.DomainSocketAddress;
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

    private final EngineOptions options;
    private final InstantSource clock;
    private final Transport transport;
    private final EngineEvents events;
    private final ConnectionTable connections = new ConnectionTable();
    private final ClientTable clientTable;
    private final ServerSelector selector;
    private final Relay relay = new Relay(this);
    private final Object commandLock = new Object();
    private final State state = new State();
    private final AtomicInteger pending = new AtomicInteger();
    private final java.util.concurrent.atomic.LongAdder closedBytesUp = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedBytesDown = new java.util.concurrent.atomic.LongAdder();

    private volatile Settings settings;
    private volatile Server[] servers;
    private volatile InetSocketAddress emergencyAddress;
    private volatile InetSocketAddress abuseAddress;
    private volatile AclCheck acl = AclCheck.PERMIT_ALL;
    private volatile Endpoint listenEndpoint;
    private volatile Channel listener;
    private EventLoopGroup group;
    private long startedMillis;

    public Engine(EngineOptions options) {
        this.options = options;
        this.clock = options.clock();
        this.transport = options.transport();
        this.events = new EngineEvents(clock);
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
        applySettings(options.settings());
    }

    /** Starts the event loops and binds the listener; throws with a clear message if the address is taken. */
    public synchronized void start() {
        if (group != null) throw new IllegalStateException("already started");
        // One event loop per core (0 = choose), not Netty's two per core: a relay never blocks, and a second loop
        // per core only adds context switches (the proxy is often pinned to one core).
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
        startedMillis = clock.millis();
        try {
            listener = bind(listenEndpoint);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw e;
        }
        log.info("listening on {} ({} transport, {} servers)", describe(listener), transport.word(), servers.length);
    }

    private Channel bind(Endpoint endpoint) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .option(ChannelOption.MAX_MESSAGES_PER_READ, options.multiAccept())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(relay);
        SocketAddress address;
        if (endpoint instanceof Endpoint.Unix u) {
            b.channel(transport.serverDomainChannel());
            try {
                Files.deleteIfExists(u.path()); // a stale socket file from an earlier run would block the bind
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove stale socket " + u.path(), e);
            }
            address = transport == Transport.NIO ? java.net.UnixDomainSocketAddress.of(u.path())
                    : new DomainSocketAddress(u.path().toFile());
        } else {
            Endpoint.Tcp t = (Endpoint.Tcp) endpoint;
            b.channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, settings.tcpNodelay())
                    .childOption(ChannelOption.SO_KEEPALIVE, settings.keepalive());
            address = t.host() == null ? new InetSocketAddress(t.port()) : new InetSocketAddress(resolveHost(t.host()), t.port());
        }
        try {
            return b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot listen on " + endpoint + ": " + e.getMessage(), e);
        }
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

    /** Runs a command under the control lock: commands never interleave, so none sees another half-applied. */
    public Reply execute(Command command) {
        synchronized (commandLock) {
            try {
                return command.apply(state);
            } catch (IllegalArgumentException e) {
                return Reply.error(e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        EventLoopGroup g;
        synchronized (this) {
            g = group;
            group = null;
        }
        if (g == null) return;
        Channel l = listener;
        if (l != null) l.close().syncUninterruptibly();
        for (Connection c : connections.all()) c.abort();
        g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (listenEndpoint instanceof Endpoint.Unix u) {
            try {
                Files.deleteIfExists(u.path());
            } catch (IOException ignored) {
                // best effort: a leftover socket file is removed again at the next start
            }
        }
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
    public InstantSource clock() { return clock; }
    public Transport transport() { return transport; }
    public Endpoint listenEndpoint() { return listenEndpoint; }
    public long startedMillis() { return startedMillis; }
    public int pendingConnects() { return pending.get(); }
    /** Bytes of connections that have ended (live ones are summed from their own counters). */
    public long closedBytesUp() { return closedBytesUp.sum(); }
    public long closedBytesDown() { return closedBytesDown.sum(); }

    void closed(Connection c) {
        closedBytesUp.add(c.bytesUp());
        closedBytesDown.add(c.bytesDown());
    }

    // ---- for the data path ----

    Server[] serverArray() { return servers; }
    ServerSelector selector() { return selector; }
    AclCheck acl() { return acl; }

    void pendingStarted() { pending.incrementAndGet(); }
    void pendingEnded() { pending.decrementAndGet(); }

    InetSocketAddress addressOf(int target) {
        if (Target.regular(target)) {
            Server[] s = servers;
            return target < s.length ? s[target].address() : null;
        }
        if (target == Target.EMERGENCY) return emergencyAddress;
        if (target == Target.ABUSE) return abuseAddress;
        return null;
    }

    /** Hook for modes that add handlers on the client side (HTTP headers, TLS). */
    void decorateDown(Channel down, Connection conn) {
        down.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
    }

    /** Whether this connection goes to a server at all (false when jpen answers by itself). */
    boolean connectUp(Connection conn) {
        return true;
    }

    Bootstrap bindSource(Bootstrap b) {
        return b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
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
            Server[] current = servers;
            if (index < 0 || index > current.length) {
                throw new IllegalArgumentException("no server " + index + " (servers are 0-" + (current.length - 1) + ")");
            }
            InetSocketAddress address = resolve(spec);
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
            }
        }

        @Override
        public void blacklistServer(int index, int seconds) {
            Server[] current = servers;
            if (index < 0 || index >= current.length) throw new IllegalArgumentException("no server " + index);
            current[index].blacklist(clock.millis(), seconds);
        }

        @Override public ConnectionTable connections() { return connections; }
        @Override public ClientTable clients() { return clientTable; }
        @Override public Endpoint listen() { return listenEndpoint; }

        @Override
        public void listen(Endpoint endpoint) {
            if (group == null) {
                listenEndpoint = endpoint;
                return;
            }
            Channel next = bind(endpoint); // throws before the old listener is touched
            Channel old = listener;
            listener = next;
            listenEndpoint = endpoint;
            if (old != null) old.close();
            events.add("listen", "now listening on " + endpoint);
        }

        @Override public EngineEvents events() { return events; }
        @Override public long nowMillis() { return clock.millis(); }
        @Override public long startedMillis() { return startedMillis; }
        @Override public Transport transport() { return transport; }
    }

    /** Every live connection, for closing or listing. */
    public List<Connection> connectionList() {
        return new ArrayList<>(connections.all());
    }
}
