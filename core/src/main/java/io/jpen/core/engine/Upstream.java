package io.jpen.core.engine;

import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Where upstream connections come from: Pen's {@code source IP} (a local address to bind to) and
 * {@code transparent} (the client's own address, via IP_TRANSPARENT on the epoll or io_uring transport).
 */
public record Upstream(InetAddress source, boolean transparent) {
    public static final Upstream DEFAULT = new Upstream(null, false);

    public Upstream withSource(InetAddress a) {
        return new Upstream(a, transparent);
    }

    public Upstream withTransparent(boolean t) {
        return new Upstream(source, t);
    }

    /** The commands that recreate this, for {@code write}. */
    public List<String> commands() {
        List<String> out = new ArrayList<>();
        if (source != null) out.add("source " + source.getHostAddress());
        if (transparent) out.add("transparent");
        return out;
    }

    /** Refuses a source address this host does not have: every upstream connect would fail and blacklist servers. */
    static void checkSource(InetAddress a) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(a, 0));
        } catch (IOException e) {
            throw new IllegalArgumentException("source " + a.getHostAddress() + " cannot be used: " + e.getMessage()
                    + " (it must be an address of this host)");
        }
    }

    /** Checks that transparent mode can work here: a native transport (epoll or io_uring) and CAP_NET_ADMIN. */
    public static void checkTransparent(Transport transport) {
        if (transport != Transport.EPOLL && transport != Transport.IO_URING) {
            throw new IllegalArgumentException("transparent needs the epoll transport or io_uring (running on "
                    + transport.word() + "): IP_TRANSPARENT is a Linux socket option NIO cannot set");
        }
        if (!transport.available()) {
            throw new IllegalArgumentException("transparent needs the " + transport.word() + " transport, which is not available");
        }
        io.netty.channel.Channel probe = transport == Transport.EPOLL ? new EpollSocketChannel()
                : new io.netty.channel.uring.IoUringSocketChannel();
        try {
            probe.config().setOption(option(transport), true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("transparent is not permitted: setting IP_TRANSPARENT failed ("
                    + e.getMessage() + "); the process needs the CAP_NET_ADMIN capability"
                    + " (e.g. systemd AmbientCapabilities=CAP_NET_ADMIN)");
        } finally {
            probe.unsafe().closeForcibly();
        }
    }

    /** The transport's own IP_TRANSPARENT option (each native transport defines its own). */
    static io.netty.channel.ChannelOption<Boolean> option(Transport transport) {
        return transport == Transport.IO_URING ? io.netty.channel.uring.IoUringChannelOption.IP_TRANSPARENT
                : EpollChannelOption.IP_TRANSPARENT;
    }
}
