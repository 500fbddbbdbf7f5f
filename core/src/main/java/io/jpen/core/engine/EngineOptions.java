package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.tls.TlsConfig;

import java.time.InstantSource;
import java.util.List;

/**
 * What an engine starts with: where to listen, the servers, the settings, and how to run (transport, threads,
 * accept backlog, accepts per wake-up, the clock, and how often housekeeping runs), what the listener speaks
 * (TCP or UDP) and whether it terminates TLS.
 *
 * @param housekeepingMillis how often the idle-timeout sweep and the idler refill run; tests shorten it so they
 *                           need not wait, production keeps the one-second default
 * @param plainPairs         whether clients that need nothing of Netty's channels are relayed without them (PlainPair,
 *                           epoll only); on by default, off with {@code -Djpen.plainPairs=off} or for a test of the
 *                           channels themselves
 */
public record EngineOptions(Endpoint listen, List<ServerSpec> servers, Settings settings, Transport transport,
                            int threads, int backlog, int multiAccept, InstantSource clock, int housekeepingMillis,
                            Protocol protocol, TlsConfig tls, boolean plainPairs) {

    public static final int DEFAULT_HOUSEKEEPING_MILLIS = 1000;
    private static final boolean PLAIN_PAIRS_DEFAULT = !"off".equals(System.getProperty("jpen.plainPairs"));

    public EngineOptions {
        if (listen == null) throw new IllegalArgumentException("no listen address");
        servers = List.copyOf(servers);
        if (threads < 0) throw new IllegalArgumentException("threads must not be negative");
        if (backlog < 1) throw new IllegalArgumentException("backlog must be at least 1");
        if (multiAccept < 1) throw new IllegalArgumentException("multi-accept must be at least 1");
        if (housekeepingMillis < 1) throw new IllegalArgumentException("housekeeping interval must be at least 1 ms");
        if (protocol == null) protocol = Protocol.TCP;
        if (tls == null) tls = TlsConfig.NONE;
        if (protocol == Protocol.UDP && tls.enabled()) {
            throw new IllegalArgumentException("TLS termination works with TCP only, not with UDP mode (-U)");
        }
        if (protocol == Protocol.UDP && !(listen instanceof Endpoint.Tcp)) {
            throw new IllegalArgumentException("UDP mode needs an IP listen address, not " + listen);
        }
    }

    /** TCP without TLS: the form from before UDP and TLS existed, kept so callers need not change. */
    public EngineOptions(Endpoint listen, List<ServerSpec> servers, Settings settings, Transport transport,
                         int threads, int backlog, int multiAccept, InstantSource clock, int housekeepingMillis) {
        this(listen, servers, settings, transport, threads, backlog, multiAccept, clock, housekeepingMillis,
                Protocol.TCP, TlsConfig.NONE, PLAIN_PAIRS_DEFAULT);
    }

    public static EngineOptions of(Endpoint listen, List<ServerSpec> servers, Settings settings) {
        return new EngineOptions(listen, servers, settings, Transport.best(), 0, 1024, 16, InstantSource.system(),
                DEFAULT_HOUSEKEEPING_MILLIS, Protocol.TCP, TlsConfig.NONE, PLAIN_PAIRS_DEFAULT);
    }

    public EngineOptions withTransport(Transport t) {
        return new EngineOptions(listen, servers, settings, t, threads, backlog, multiAccept, clock, housekeepingMillis, protocol, tls, plainPairs);
    }

    public EngineOptions withClock(InstantSource c) {
        return new EngineOptions(listen, servers, settings, transport, threads, backlog, multiAccept, c, housekeepingMillis, protocol, tls, plainPairs);
    }

    public EngineOptions withThreads(int n) {
        return new EngineOptions(listen, servers, settings, transport, n, backlog, multiAccept, clock, housekeepingMillis, protocol, tls, plainPairs);
    }

    public EngineOptions withBacklog(int n) {
        return new EngineOptions(listen, servers, settings, transport, threads, n, multiAccept, clock, housekeepingMillis, protocol, tls, plainPairs);
    }

    public EngineOptions withMultiAccept(int n) {
        return new EngineOptions(listen, servers, settings, transport, threads, backlog, n, clock, housekeepingMillis, protocol, tls, plainPairs);
    }

    public EngineOptions withSettings(Settings s) {
        return new EngineOptions(listen, servers, s, transport, threads, backlog, multiAccept, clock, housekeepingMillis, protocol, tls, plainPairs);
    }

    public EngineOptions withServers(List<ServerSpec> s) {
        return new EngineOptions(listen, s, settings, transport, threads, backlog, multiAccept, clock, housekeepingMillis, protocol, tls, plainPairs);
    }

    /** How often idle connections are swept and idlers refilled (tests make it short). */
    public EngineOptions withHousekeepingMillis(int n) {
        return new EngineOptions(listen, servers, settings, transport, threads, backlog, multiAccept, clock, n, protocol, tls, plainPairs);
    }

    /** Pen's -U: UDP streams instead of TCP connections. */
    public EngineOptions withProtocol(Protocol p) {
        return new EngineOptions(listen, servers, settings, transport, threads, backlog, multiAccept, clock, housekeepingMillis, p, tls, plainPairs);
    }

    /** TLS termination on the listener (Pen's -E -K -G -A -R -L -Z). */
    public EngineOptions withTls(TlsConfig t) {
        return new EngineOptions(listen, servers, settings, transport, threads, backlog, multiAccept, clock, housekeepingMillis, protocol, t, plainPairs);
    }

    /** Whether plain clients are relayed without Netty's channels (false: every client gets channels). */
    public EngineOptions withPlainPairs(boolean on) {
        return new EngineOptions(listen, servers, settings, transport, threads, backlog, multiAccept, clock, housekeepingMillis, protocol, tls, on);
    }
}
