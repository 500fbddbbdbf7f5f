package io.jpen.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Client-side handler of HTTP mode: passes the client's bytes on with every request head rewritten by an
 * {@link HttpRequestRewriter}. A request that cannot be forwarded gets a 400 or 431 and its connection closes;
 * other connections never notice.
 */
public final class HttpForwardHandler extends ChannelInboundHandlerAdapter {
    private final String client;
    private final String proto;
    private final int headLimit;
    private final Consumer<String> onReject;
    private HttpRequestRewriter rewriter;
    private boolean rejected;
    private long drained;
    private static final long LINGER_BYTES = 256 * 1024;
    private static final long LINGER_SECONDS = 2;

    /** @param onReject told a one-line reason for the operator's event log when a request is refused */
    public HttpForwardHandler(String client, String proto, int headLimit, Consumer<String> onReject) {
        this.client = client;
        this.proto = proto;
        this.headLimit = headLimit;
        this.onReject = onReject;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        rewriter = new HttpRequestRewriter(ctx.alloc(), client, proto, headLimit);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (rejected) {
                drained += in.readableBytes();
                if (drained > LINGER_BYTES) ctx.close();
                return;
            }
            rewriter.feed(in, ctx::fireChannelRead);
        } catch (HttpRejection r) {
            rejected = true;
            rewriter.release();
            onReject.accept((r.notHttp() ? "non-HTTP bytes from " : "rejected request from ") + client + ": "
                    + r.getMessage() + " (" + r.status() + ")");
            String body = "jpen: " + r.getMessage() + "\n";
            String response = r.statusLine() + "\r\nContent-Type: text/plain\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
            lingeringClose(ctx, Unpooled.copiedBuffer(response, StandardCharsets.UTF_8));
        } finally {
            in.release();
        }
    }

    /**
     * Sends the error, then keeps reading (and dropping) what the client is still sending for a short while: closing
     * with unread input would reset the connection and the client would never see the error.
     */
    private void lingeringClose(ChannelHandlerContext ctx, ByteBuf response) {
        Channel ch = ctx.channel();
        ctx.writeAndFlush(response).addListener(f -> {
            if (ch instanceof DuplexChannel d && f.isSuccess()) d.shutdownOutput();
            else ch.close();
        });
        ch.config().setAutoRead(true);
        ctx.executor().schedule(() -> { ch.close(); }, LINGER_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (rejected && evt instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client has read what it wanted and sent everything: done
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (rewriter != null) rewriter.release();
    }
}
