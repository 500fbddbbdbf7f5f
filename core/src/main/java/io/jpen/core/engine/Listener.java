package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.unix.DomainSocketAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * The listening socket: bound at start (a TCP port, a Unix socket, or in UDP mode the one datagram socket), bound
 * anew by {@code listen} while established connections stay, and closed at the end. Pausing it for pending_max is
 * {@link PendingLimit}'s.
 */
final class Listener {
    /**
     * TCP_NOTSENT_LOWAT on the listener, which accepted sockets inherit (no setsockopt per client): the kernel takes
     * no more than this of a client's download beyond what is on its way to the client, so a slow client holds the
     * rest back in jpen and its server, and what jpen counts as written follows what the client takes instead of
     * the server's burst. Sockets still grow their send buffers for what is in flight, so throughput is unchanged.
     */
    private static final io.netty.channel.unix.IntegerUnixChannelOption UNSENT_LIMIT =
            new io.netty.channel.unix.IntegerUnixChannelOption("TCP_NOTSENT_LOWAT", 6 /* IPPROTO_TCP */, 25 /* TCP_NOTSENT_LOWAT */);
    private static final int UNSENT_LIMIT_BYTES = 128 * 1024;

    private final EngineOptions options;
    private final Transport transport;
    /** Where accepted TCP channels go. */
    private final Relay relay;
    /** A new handler for each datagram socket in UDP mode (it holds that socket's streams). */
    private final java.util.function.Supplier<ChannelHandler> udp;
    /** Logs failed accepts without a stack trace per second (descriptor shortage). */
    private final LocalShortage shortage;
    private volatile Endpoint endpoint;
    private volatile Channel channel;

    Listener(EngineOptions options, Relay relay, java.util.function.Supplier<ChannelHandler> udp,
             LocalShortage shortage) {
        this.options = options;
        this.transport = options.transport();
        this.relay = relay;
        this.udp = udp;
        this.shortage = shortage;
        this.endpoint = options.listen();
    }

    /** Where it listens as configured (a port 0 stays 0 here; {@link #localAddress} has the real one). */
    Endpoint endpoint() {
        return endpoint;
    }

    /** The bound socket, or null before start and after close. */
    Channel channel() {
        return channel;
    }

    /** The address actually bound (useful when the port was 0), or null before start. */
    SocketAddress localAddress() {
        Channel c = channel;
        return c == null ? null : c.localAddress();
    }

    /** Binds on {@code group}; throws with a clear message if the address is taken. */
    void start(EventLoopGroup group) {
        channel = bind(group, endpoint);
    }

    /**
     * {@code listen}: binds {@code to} first (throwing, with the old socket untouched, if it cannot), then closes the
     * old one. Before start it only records the address.
     */
    void rebind(EventLoopGroup group, Endpoint to) {
        if (group == null) {
            endpoint = to;
            return;
        }
        Channel next = bind(group, to);
        Channel old = channel;
        channel = next;
        endpoint = to;
        if (old != null) {
            // Wait for the old socket to be released, so that going back to it (a config rollback) can bind.
            var closing = old.close();
            if (!old.eventLoop().inEventLoop()) closing.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Closes the socket (new clients are refused by the kernel); returns what it was bound to, or null. */
    SocketAddress close() {
        Channel c = channel;
        if (c == null) return null;
        c.close().syncUninterruptibly();
        return c.localAddress();
    }

    /** After the end: a Unix socket's file goes too. */
    void removeSocketFile() {
        if (endpoint instanceof Endpoint.Unix u) {
            try {
                Files.deleteIfExists(u.path());
            } catch (IOException ignored) {
                // best effort: a leftover socket file is removed again at the next start
            }
        }
    }

    private Channel bind(EventLoopGroup group, Endpoint endpoint) {
        if (options.protocol() == Protocol.UDP) return bindUdp(group, endpoint);
        // The listening socket made, set up, registered and bound by hand rather than by a ServerBootstrap, so that
        // its clients go through jpen's own acceptor (Accepting).
        Channel server;
        SocketAddress address;
        boolean halfClosure;
        if (endpoint instanceof Endpoint.Unix u) {
            server = new ReflectiveChannelFactory<>(transport.serverDomainChannel()).newChannel();
            // Netty's NIO domain sockets cannot half-close: a client's EOF closes its side there.
            halfClosure = transport != Transport.NIO;
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
                    : new InetSocketAddress(NameLookup.now(t.host()), t.port());
            server = transport.newServerChannel(local);
            server.config().setOption(ChannelOption.SO_REUSEADDR, true);
            if (transport == Transport.EPOLL) server.config().setOption(UNSENT_LIMIT, UNSENT_LIMIT_BYTES);
            halfClosure = true;
            address = local;
        }
        Channel bound;
        try {
            server.config().setOption(ChannelOption.SO_BACKLOG, options.backlog());
            server.config().setOption(ChannelOption.MAX_MESSAGES_PER_READ, options.multiAccept());
            Accepting accepting = new Accepting(group, relay, halfClosure);
            server.pipeline().addLast(accepting);
            // Plain clients skip their channel: the acceptor takes their sockets as they are accepted (PlainPair).
            if (server instanceof io.netty.channel.epoll.LeanServerSocketChannel lean) lean.clients(accepting);
            // After the acceptor: a failed accept is logged without a stack trace per second.
            server.pipeline().addLast(shortage.acceptErrors());
            group.register(server).syncUninterruptibly();
            bound = server.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            server.close();
            throw new IllegalArgumentException("cannot listen on " + endpoint + ": " + e.getMessage(), e);
        }
        return bound;
    }

    private Channel bindUdp(EventLoopGroup group, Endpoint endpoint) {
        if (!(endpoint instanceof Endpoint.Tcp t)) {
            throw new IllegalArgumentException("UDP mode needs an IP listen address, not " + endpoint);
        }
        InetSocketAddress address = t.host() == null ? new InetSocketAddress(t.port())
                : new InetSocketAddress(NameLookup.now(t.host()), t.port());
        Bootstrap b = new Bootstrap()
                .group(group)
                .channelFactory(() -> transport.newDatagramChannel(address))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.RCVBUF_ALLOCATOR, WholeDatagrams.INSTANCE)
                .handler(udp.get());
        try {
            return b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot listen on udp " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
