package io.jpen.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Moves bytes from one side of a pair to the other. Reading stops while the other side cannot take more
 * (so a slow reader never makes jpen buffer without bound) and resumes when it drains.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private final Relay relay;
    private final Connection conn;
    private final boolean fromClient;

    RelayHandler(Relay relay, Connection conn, boolean fromClient) {
        this.relay = relay;
        this.conn = conn;
        this.fromClient = fromClient;
    }

    private Channel peer() {
        return fromClient ? conn.up() : conn.down();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int n = buf.readableBytes();
        long now = relay.nowMillis();
        if (fromClient) {
            conn.countUp(n, now);
            relay.logRequest(conn, buf, now);
        } else {
            conn.countDown(n, now);
        }
        Channel peer = peer();
        if (peer == null) {
            if (fromClient) conn.stash(buf); else buf.release();
            return;
        }
        peer.write(buf, peer.voidPromise());
        if (!peer.isWritable()) {
            // Stop reading before flushing: a flush that drains at once fires channelWritabilityChanged right
            // here, and the resume it asks for must come after this pause, or reading never resumes.
            ctx.channel().config().setAutoRead(false);
            peer.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel peer = peer();
        if (peer != null) peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side drained (or filled): the other side's reading follows it.
        Channel peer = peer();
        if (peer != null && relay.established(conn)) peer.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            relay.eof(conn, fromClient);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        relay.failed(conn, fromClient, cause);
        ctx.close();
    }
}
