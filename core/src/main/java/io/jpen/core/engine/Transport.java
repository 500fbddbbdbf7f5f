package io.jpen.core.engine;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.LeanServerSocketChannel;
import io.netty.channel.epoll.LeanSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.Locale;

/** The event-loop technology: epoll, io_uring or NIO, with the channel classes that go with it. */
public enum Transport {
    EPOLL, IO_URING, NIO;

    /** Parses a user's choice: auto, epoll, io_uring (or iouring), nio. */
    public static Transport choose(String name) {
        String n = name == null ? "auto" : name.toLowerCase(Locale.ROOT).replace("-", "_");
        Transport t = switch (n) {
            case "auto" -> null;
            case "epoll" -> EPOLL;
            case "io_uring", "iouring", "uring" -> IO_URING;
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException("unknown transport '" + name + "' (auto, epoll, io_uring, nio)");
        };
        if (t == null) return best();
        if (!t.available()) {
            throw new IllegalArgumentException("transport " + t.word() + " is not available here: " + t.unavailabilityCause());
        }
        return t;
    }

    /**
     * Epoll where it loads, else NIO. On epoll jpen splices bulk transfers (Splicer), about a third of NIO's CPU per
     * GB, at the same cost per request and per connection, and holds less heap per idle connection
     * (docs/performance.md). Two faults of Netty 4.2.18's epoll are worked around (EpollSetKeeper; Relay closes a
     * socket whose connect failed). Not io_uring: a backend's reset while jpen is not reading from it
     * (backpressure) goes unnoticed, and the client waits forever (BackendFaultTest).
     */
    public static Transport best() {
        return EPOLL.available() ? EPOLL : NIO;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean available() {
        return switch (this) {
            case EPOLL -> Epoll.isAvailable();
            case IO_URING -> IoUring.isAvailable();
            case NIO -> true;
        };
    }

    private String unavailabilityCause() {
        Throwable t = switch (this) {
            case EPOLL -> Epoll.unavailabilityCause();
            case IO_URING -> IoUring.unavailabilityCause();
            case NIO -> null;
        };
        return t == null ? "unknown reason" : String.valueOf(t.getMessage());
    }

    public IoHandlerFactory ioHandlerFactory() {
        return ioHandlerFactory(java.time.InstantSource.system());
    }

    /** {@code clock}: the one an engine's loops stamp their reads with ({@link PassClock}). */
    public IoHandlerFactory ioHandlerFactory(java.time.InstantSource clock) {
        return switch (this) {
            case EPOLL -> EpollSetKeeper.newFactory(clock);
            case IO_URING -> new PinnedLoops(IoUringIoHandler.newFactory());
            case NIO -> new PinnedLoops(NioIoHandler.newFactory());
        };
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends ServerChannel> serverDomainChannel() {
        return switch (this) {
            case EPOLL -> EpollServerDomainSocketChannel.class;
            case IO_URING -> IoUringServerDomainSocketChannel.class;
            case NIO -> NioServerDomainSocketChannel.class;
        };
    }

    public Class<? extends Channel> socketChannel() {
        return switch (this) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /**
     * A TCP channel for a connection to {@code remote}, of that address's own family: an IPv4 socket for an IPv4
     * server, not the dual-stack IPv6 socket the JDK and Netty open by default, which costs the kernel the
     * mapped-address path on every call and one setsockopt more per connection. On epoll, jpen's own channel
     * (LeanSocketChannel): Netty's without the system calls a relayed connection does not need.
     */
    public Channel newSocketChannel(SocketAddress remote) {
        SocketProtocolFamily f = family(remote);
        return switch (this) {
            case EPOLL -> new LeanSocketChannel(f);
            case IO_URING -> new IoUringSocketChannel();
            case NIO -> f == null ? new NioSocketChannel() : new NioSocketChannel(SelectorProvider.provider(), f);
        };
    }

    /**
     * A listening TCP channel for {@code local}: of the address's own family when it is one address (so accepted
     * sockets are plain IPv4 ones too); the dual-stack default for a wildcard, which takes IPv4 and IPv6 clients.
     * On epoll, jpen's own listener, whose clients are LeanSocketChannels.
     */
    public ServerChannel newServerChannel(SocketAddress local) {
        SocketProtocolFamily f = family(local);
        return switch (this) {
            case EPOLL -> new LeanServerSocketChannel(f);
            case IO_URING -> new IoUringServerSocketChannel();
            case NIO -> f == null ? new NioServerSocketChannel() : new NioServerSocketChannel(SelectorProvider.provider(), f);
        };
    }

    /**
     * A UDP channel bound to or connected to {@code address}: of its own family, as {@link #newSocketChannel}, and
     * dual-stack for a wildcard listen address.
     */
    public Channel newDatagramChannel(SocketAddress address) {
        SocketProtocolFamily f = family(address);
        return switch (this) {
            case EPOLL -> f == null ? new EpollDatagramChannel() : new EpollDatagramChannel(f);
            case IO_URING -> new IoUringDatagramChannel();
            case NIO -> f == null ? new NioDatagramChannel() : new NioDatagramChannel(SelectorProvider.provider(), f);
        };
    }

    /** The socket family of one IP address; null (the dual-stack default) for a wildcard or a non-IP address. */
    private static SocketProtocolFamily family(SocketAddress a) {
        if (!(a instanceof InetSocketAddress isa) || isa.getAddress() == null || isa.getAddress().isAnyLocalAddress()) {
            return null;
        }
        if (isa.getAddress() instanceof Inet4Address) return SocketProtocolFamily.INET;
        if (isa.getAddress() instanceof Inet6Address) return SocketProtocolFamily.INET6;
        return null;
    }
}
