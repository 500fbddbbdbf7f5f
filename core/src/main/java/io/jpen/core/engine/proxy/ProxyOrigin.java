package io.jpen.core.engine.proxy;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a connection is for, as a PROXY header from a balancer in front says.
 *
 * @param client        the client's address and port (a Unix path for a Unix-socket client of the front)
 * @param clientAddress the address that tracking, hash and ACLs use (loopback for a Unix client, as for jpen's own)
 * @param destination   the address the client connected to (the front's listener)
 * @param via           the peer that sent the header
 */
public record ProxyOrigin(SocketAddress client, InetAddress clientAddress, SocketAddress destination,
                          SocketAddress via) {

    /**
     * The origin a decoded header names. A {@code LOCAL} command (v2) or an {@code UNKNOWN} protocol (v1, or v2's
     * AF_UNSPEC) names no client: the connection is the peer's own (a health check), so the peer's real address
     * stands, as HAProxy does.
     */
    static ProxyOrigin of(HAProxyMessage m, SocketAddress peer, InetAddress peerAddress, SocketAddress local) {
        HAProxyProxiedProtocol p = m.proxiedProtocol();
        if (m.command() == HAProxyCommand.LOCAL || p == HAProxyProxiedProtocol.UNKNOWN) {
            return new ProxyOrigin(peer, peerAddress, local, peer);
        }
        if (p == HAProxyProxiedProtocol.UNIX_STREAM || p == HAProxyProxiedProtocol.UNIX_DGRAM) {
            return new ProxyOrigin(new DomainSocketAddress(m.sourceAddress()), InetAddress.getLoopbackAddress(),
                    new DomainSocketAddress(m.destinationAddress()), peer);
        }
        InetSocketAddress source = inet(m.sourceAddress(), m.sourcePort());
        return new ProxyOrigin(source, source.getAddress(), inet(m.destinationAddress(), m.destinationPort()), peer);
    }

    /** An address the decoder has already checked is a literal: never a name lookup. */
    private static InetSocketAddress inet(String literal, int port) {
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(literal);
        if (a == null) throw new IllegalArgumentException("not an IP address: " + literal);
        return new InetSocketAddress(a, port);
    }
}
