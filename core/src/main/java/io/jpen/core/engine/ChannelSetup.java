package io.jpen.core.engine;

import io.jpen.core.model.Settings;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.LeanServerSocketChannel;
import io.netty.channel.epoll.LeanSocketChannel;
import io.netty.channel.epoll.LeanSocketConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * How each socket of the data path is set up: buffer bounds, read sizing (splice where it can), socket options,
 * and the local address an upstream connection comes from (Pen's source and transparent).
 */
final class ChannelSetup {
    /** Per-channel outbound buffer bounds: above high, the other side stops reading. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);
    /**
     * Every TCP channel's read sizing. The allocator holds only its limits (each channel keeps its own sizing state
     * in its handle), so one serves every socket instead of one object per socket of each idle pair.
     */
    private static final RecvByteBufAllocator READ_SIZING = new AdaptiveRecvByteBufAllocator();

    private final Transport transport;
    /** Whether bulk data moves by splice(2): on epoll, unless turned off. */
    private final boolean splice;

    ChannelSetup(Transport transport) {
        this.transport = transport;
        this.splice = transport == Transport.EPOLL && !"off".equals(System.getProperty("jpen.splice"));
    }

    /** Whether bulk data moves by splice(2). */
    boolean splice() {
        return splice;
    }

    /**
     * An accepted client channel's socket options and read sizing, before its first read: Netty keeps the read
     * sizing it starts reading with, so a PROXY header read first must already be read with the sizing that lets
     * the bytes after it be spliced.
     */
    void prepareDown(Channel down, Settings s, RelayHandler relay) {
        down.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        readSizing(down.config(), relay);
        // Per accepted channel rather than as listener child options, so a change applies to the next client.
        // Unix-domain channels do not know these options and ignore them. On epoll the listener keeps them, so the
        // clients it accepts next have them already (Linux passes them on) and their channels set nothing.
        down.config().setOption(ChannelOption.TCP_NODELAY, s.tcpNodelay());
        if (down.parent() instanceof LeanServerSocketChannel l) {
            l.childOptions(s.tcpNodelay(), s.keepalive());
            down.config().setOption(ChannelOption.SO_KEEPALIVE, s.keepalive()); // a call only if its listener's differs
        } else if (s.keepalive()) {
            // A new socket has keepalive off already: one setsockopt per connection saved where it is not wanted.
            down.config().setOption(ChannelOption.SO_KEEPALIVE, true);
        }
    }

    /**
     * Where bulk data can be spliced (epoll), each channel gets sizing the relay can switch to small reads: its side's
     * relay handler, which is that sizing; elsewhere all share one. {@code -Djpen.splice=off} keeps epoll copying, to
     * compare the two.
     */
    private void readSizing(ChannelConfig c, RelayHandler relay) {
        if (splice) {
            c.setRecvByteBufAllocator(relay);
            c.setMessageSizeEstimator(SpliceSizing.SIZE);
        } else if (c instanceof LeanSocketConfig) {
            // A lean channel's pipeline finds its end, the relay, as its read sizing (LeanPipeline): copying only.
            relay.neverSplice();
            c.setRecvByteBufAllocator(relay);
        } else {
            c.setRecvByteBufAllocator(READ_SIZING);
        }
    }

    /**
     * A new server-side channel to {@code address}, set up as the relay needs it and not yet registered. It stands
     * in for a Bootstrap on the path every client takes: no options map, resolver or initializer per connection.
     * Throws when no socket can be opened (descriptors exhausted).
     */
    Channel newUpChannel(InetSocketAddress address, Settings s, RelayHandler relay) {
        Channel up = transport.newSocketChannel(address);
        try {
            ChannelConfig c = up.config();
            c.setAutoRead(false);
            c.setAllocator(PooledByteBufAllocator.DEFAULT);
            c.setWriteBufferWaterMark(WATER_MARK);
            readSizing(c, relay);
            c.setConnectTimeoutMillis(0); // the relay times the connect itself (Relay.scheduleConnectTimeout)
            c.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            // A new socket has keepalive off (the kernel's default) and nodelay on with Netty's channels, off with
            // jpen's epoll channel (which sets nothing it is not asked to): one setsockopt each per connection
            // saved where the setting matches.
            boolean nodelayNow = up instanceof LeanSocketChannel ? false
                    : io.netty.util.internal.PlatformDependent.canEnableTcpNoDelayByDefault();
            if (s.tcpNodelay() != nodelayNow) c.setOption(ChannelOption.TCP_NODELAY, s.tcpNodelay());
            if (s.keepalive()) c.setOption(ChannelOption.SO_KEEPALIVE, true);
            relay.attach(up);
            return up;
        } catch (RuntimeException e) {
            up.unsafe().closeForcibly();
            throw e;
        }
    }

    /** A socket for a health check: the relay's kind of channel, unregistered, with the pooled allocator. */
    Channel newProbeChannel(InetSocketAddress address) {
        Channel ch = transport.newSocketChannel(address);
        ch.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        ch.config().setConnectTimeoutMillis(0); // the probe times connect and answer together
        return ch;
    }

    /**
     * Where an upstream connection comes from: the client's own address (transparent, which also sets the
     * transport's IP_TRANSPARENT option on {@code up}), the source IP, or null for anywhere.
     */
    SocketAddress upLocalAddress(Upstream u, Channel up, InetAddress client) {
        InetSocketAddress local = localFor(u, client);
        if (u.transparent() && client != null) up.config().setOption(Upstream.option(transport), true);
        return local;
    }

    /** The same for a Bootstrap (UDP streams), which also gets the relay's buffer settings. */
    Bootstrap bindSource(Upstream u, Bootstrap b, InetAddress client) {
        b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        InetSocketAddress local = localFor(u, client);
        if (local == null) return b;
        if (u.transparent() && client != null) b.option(Upstream.option(transport), true);
        return b.localAddress(local);
    }

    private static InetSocketAddress localFor(Upstream u, InetAddress client) {
        if (u.transparent() && client != null) return new InetSocketAddress(client, 0);
        return u.source() != null ? new InetSocketAddress(u.source(), 0) : null;
    }
}
