package io.jpen.core.engine.proxy;

import io.jpen.core.model.Reasons;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.ProtocolDetectionState;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sits behind Netty's {@link HAProxyMessageDecoder} on a client channel whose listener has accept_proxy: asks for
 * the bytes (the channel does not read by itself before a server is chosen), takes the decoded header, and hands
 * the origin it names to the relay, then leaves the pipeline (the decoder leaves too, passing on what followed the
 * header). A bad, missing, late or cut-short header closes this one channel with its reason; nothing here ever
 * waits on another connection.
 */
final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {
    static final String NAME = "proxy-reader";
    /** What the v1 and v2 signatures need to be told apart from anything else. */
    private static final int SIGNATURE_BYTES = 12;

    private final ProxyAcceptor acceptor;
    private final InetAddress peerAddress;
    private final long timeoutMillis;
    private final Consumer<ProxyOrigin> then;
    private ScheduledFuture<?> timer;
    private boolean settled;
    /** Refused: whatever the decoder still makes of the bytes behind a bad header is dropped here, unseen. */
    private boolean refused;

    ProxyHeaderReader(ProxyAcceptor acceptor, InetAddress peerAddress, long timeoutMillis, Consumer<ProxyOrigin> then) {
        this.acceptor = acceptor;
        this.peerAddress = peerAddress;
        this.timeoutMillis = timeoutMillis;
        this.then = then;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (timeoutMillis > 0) {
            timer = ctx.executor().schedule(() -> reject(ctx, ProxyRejection.TIMEOUT,
                    "no whole PROXY header within " + timeoutMillis / 1000.0 + " s"), timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        ctx.read(); // the decoder asks for more by itself until the header is whole
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (settled || !(msg instanceof HAProxyMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ProxyOrigin origin;
        try {
            origin = ProxyOrigin.of(m, ctx.channel().remoteAddress(), peerAddress, ctx.channel().localAddress());
        } catch (RuntimeException e) {
            reject(ctx, ProxyRejection.MALFORMED, "its PROXY header names no usable address: "
                    + ProxyHeaderFault.words(e));
            return;
        } finally {
            m.release();
        }
        settle();
        ctx.pipeline().remove(this);
        acceptor.accepted();
        then.accept(origin);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (refused) return; // the decoder going on over the rest of a refused connection's bytes as it closes
        if (settled) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        String why = ProxyHeaderFault.words(cause);
        // Netty's decoder says "header length (N) exceeds the allowed maximum (M)" for a header over its limit.
        boolean tooLong = why.contains("exceeds the allowed maximum");
        reject(ctx, tooLong ? ProxyRejection.OVERSIZED : ProxyRejection.MALFORMED,
                (tooLong ? "its PROXY header is too long: " : "its PROXY header is malformed: ") + why);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!settled && evt instanceof ChannelInputShutdownEvent) {
            reject(ctx, ProxyRejection.CLOSED, "it closed before sending a whole PROXY header");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!settled) reject(ctx, ProxyRejection.CLOSED, "it closed before sending a whole PROXY header");
        ctx.fireChannelInactive();
    }

    private void settle() {
        settled = true;
        if (timer != null) timer.cancel(false);
    }

    /** Refuses the channel, once; any handler's context on it will do. */
    private void reject(ChannelHandlerContext ctx, ProxyRejection why, String reason) {
        if (settled) return;
        settle();
        refused = true;
        acceptor.rejected(why, ctx.channel().remoteAddress(), reason);
        ctx.channel().close();
    }

    /**
     * Goes before the decoder and looks at the first bytes only, so a connection that does not speak PROXY at all
     * (a plain HTTP request, say) is told apart from a broken header, with Netty's own signature check.
     */
    Gate gate() {
        return new Gate();
    }

    final class Gate extends ChannelInboundHandlerAdapter {
        static final String NAME = "proxy-gate";
        private final byte[] first = new byte[SIGNATURE_BYTES];
        private int seen;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf b)) {
                ctx.fireChannelRead(msg);
                return;
            }
            int take = Math.min(SIGNATURE_BYTES - seen, b.readableBytes());
            b.getBytes(b.readerIndex(), first, seen, take);
            seen += take;
            ProtocolDetectionResult<HAProxyProtocolVersion> r =
                    HAProxyMessageDecoder.detectProtocol(Unpooled.wrappedBuffer(first, 0, seen));
            if (r.state() == ProtocolDetectionState.INVALID) {
                ReferenceCountUtil.release(b);
                reject(ctx, ProxyRejection.MISSING, "it did not start with a PROXY header but with '"
                        + Reasons.printable(new String(first, 0, seen, StandardCharsets.ISO_8859_1), SIGNATURE_BYTES) + "'");
                return;
            }
            ctx.fireChannelRead(b);
            if (r.state() == ProtocolDetectionState.DETECTED && !ctx.isRemoved()) ctx.pipeline().remove(this);
        }
    }
}
