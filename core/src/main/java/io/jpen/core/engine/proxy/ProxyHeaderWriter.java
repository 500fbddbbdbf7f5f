package io.jpen.core.engine.proxy;

import io.jpen.core.model.ProxyVersion;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Writes the PROXY header that starts a connection to a server with {@code proxy v1|v2}: the client's address and
 * port and the address it connected to, encoded by Netty's {@link HAProxyMessageEncoder}. The encoder is in the
 * server channel's pipeline only for that one write, so the bytes after it (spliced or copied) pass no extra
 * handler.
 */
public final class ProxyHeaderWriter {
    private static final String ENCODER = "proxy-encoder";
    /** v1 for what it cannot name (a Unix-socket client): the receiver uses the connection's own addresses. */
    private static final byte[] V1_UNKNOWN = "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);

    private ProxyHeaderWriter() {}

    /** Writes and flushes the header for a client at {@code source} that connected to {@code destination}. */
    public static void write(Channel up, ProxyVersion version, SocketAddress source, SocketAddress destination) {
        if (version == ProxyVersion.OFF) return;
        HAProxyMessage m = message(version, source, destination);
        if (m == null) send(up, v1Unknown(up)); else send(up, m);
    }

    /**
     * Writes the header of a connection jpen makes for itself (an idler): v2's {@code LOCAL} command, or v1's
     * {@code UNKNOWN}, which tell the server to take the connection's own addresses, as for a health check.
     */
    public static void writeLocal(Channel up, ProxyVersion version) {
        if (version == ProxyVersion.OFF) return;
        if (version == ProxyVersion.V1) {
            send(up, v1Unknown(up));
        } else {
            send(up, new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
                    HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0));
        }
    }

    /**
     * The header naming {@code source} and {@code destination}, or null for v1's UNKNOWN line. TCP4 when both are
     * IPv4, TCP6 when either is IPv6 (an IPv4 address then in its IPv4-mapped form, as the two must share a
     * family), UNIX (v2 only) for a Unix-socket client; what no family can carry becomes UNKNOWN.
     */
    static HAProxyMessage message(ProxyVersion version, SocketAddress source, SocketAddress destination) {
        HAProxyProtocolVersion v = version == ProxyVersion.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        try {
            if (source instanceof InetSocketAddress s && destination instanceof InetSocketAddress d
                    && s.getAddress() != null && d.getAddress() != null) {
                InetAddress sa = s.getAddress();
                InetAddress da = d.getAddress();
                boolean four = sa instanceof Inet4Address && da instanceof Inet4Address;
                return new HAProxyMessage(v, HAProxyCommand.PROXY,
                        four ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                        NetUtil.toAddressString(sa, !four), NetUtil.toAddressString(da, !four), s.getPort(), d.getPort());
            }
            String sp = path(source);
            String dp = path(destination);
            if (version == ProxyVersion.V2 && sp != null && dp != null) {
                return new HAProxyMessage(v, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNIX_STREAM, sp, dp, 0, 0);
            }
        } catch (IllegalArgumentException tooLongOrNotAscii) {
            // a Unix path over 108 bytes or outside ASCII: fall through to what the receiver can always take
        }
        if (version == ProxyVersion.V1) return null;
        return new HAProxyMessage(v, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
    }

    /** A Unix socket's path ("" for an unnamed client socket), or null for any other address. */
    private static String path(SocketAddress a) {
        if (a instanceof DomainSocketAddress d) return d.path() == null ? "" : d.path();
        if (a instanceof UnixDomainSocketAddress u) return u.getPath().toString();
        return null;
    }

    private static ByteBuf v1Unknown(Channel up) {
        return up.alloc().buffer(V1_UNKNOWN.length).writeBytes(V1_UNKNOWN);
    }

    private static void send(Channel up, ByteBuf bytes) {
        up.writeAndFlush(bytes, up.voidPromise());
    }

    /** On the channel's event loop only: the encoder comes and goes around this one write. */
    private static void send(Channel up, HAProxyMessage m) {
        if (!up.eventLoop().inEventLoop()) {
            m.release();
            throw new IllegalStateException("a PROXY header is written from the channel's own event loop");
        }
        ChannelPipeline p = up.pipeline();
        p.addLast(ENCODER, HAProxyMessageEncoder.INSTANCE); // first for writes: a -a dump shows the bytes
        try {
            up.writeAndFlush(m, up.voidPromise());
        } finally {
            p.remove(ENCODER);
        }
    }
}
