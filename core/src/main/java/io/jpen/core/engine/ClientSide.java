package io.jpen.core.engine;

import io.jpen.core.http.HttpForwardHandler;
import io.jpen.core.http.HttpRequestRewriter;
import io.jpen.core.model.Settings;
import io.jpen.core.tls.TlsConfig;
import io.jpen.core.tls.TlsTerminator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.util.List;

/**
 * The handlers the modes put on a client's channel before the relay: TLS termination (with the configuration it
 * is built from), Pen's byte dump, the dummy web server, HTTP's X-Forwarded-For.
 */
final class ClientSide {
    private final Protocol protocol;
    private final EngineEvents events;
    private final Relay relay;
    private volatile TlsConfig tlsConfig;
    /** Built from tlsConfig; null when termination is off. */
    private volatile TlsTerminator tls;

    ClientSide(Protocol protocol, EngineEvents events, Relay relay) {
        this.protocol = protocol;
        this.events = events;
        this.relay = relay;
    }

    /** The TLS configuration (termination is on when it has a certificate). */
    TlsConfig tlsConfig() {
        return tlsConfig;
    }

    /**
     * Replaces the TLS configuration for connections accepted from now on. With a certificate every file is read
     * and checked first, so a bad one throws and nothing changes.
     */
    void tls(TlsConfig next) {
        if (next.enabled() && protocol == Protocol.UDP) {
            throw new IllegalArgumentException("TLS termination works with TCP only, not with UDP mode (-U)");
        }
        TlsTerminator built = next.enabled() ? TlsTerminator.build(next) : null;
        tlsConfig = next;
        tls = built;
    }

    /** Whether TLS termination is on: its clients need channels (Engine#plainPairs; the other modes are settings). */
    boolean terminatesTls() {
        return tls != null;
    }

    /** SNI domains that have their own certificate (empty without TLS or ssl_sni_path). */
    List<String> tlsDomains() {
        TlsTerminator t = tls;
        return t == null ? List.of() : t.domains();
    }

    /** Adds what the modes in {@code s} need to {@code down}, the channel of {@code conn}'s client. */
    void decorate(Channel down, Connection conn, Settings s) {
        TlsTerminator t = tls;
        ByteDump dump = ByteDump.wanted(s, conn.id(), true);
        if (t == null && dump == null && !s.dummy() && !s.http()) return;
        String client = io.netty.util.NetUtil.toAddressString(conn.clientAddress());
        if (t != null) {
            down.pipeline().addLast("tls", t.newHandler(down));
            down.pipeline().addLast("tls-events", new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                        TlsDetails.record(ctx.channel(), conn);
                    } else if (evt instanceof SslHandshakeCompletionEvent e) {
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
                    HttpRequestRewriter.DEFAULT_HEAD_LIMIT, reason -> events.add("http", reason),
                    requestNanos -> relay.firstByte(conn, requestNanos)));
        }
    }
}
