package io.jpen.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
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
 * other connections never notice. Its {@link #responseWatcher()} goes on the server side, so the rewriter learns
 * whether the server agreed to an Upgrade or CONNECT before anything is tunnelled.
 */
public final class HttpForwardHandler extends ChannelInboundHandlerAdapter {
    private final String client;
    private final String proto;
    private final int headLimit;
    private final Consumer<String> onReject;
    private final java.util.function.LongConsumer onFirstByte;
    /** When the request now waiting for its answer went to the server (System.nanoTime), 0 when none waits. */
    private long waitingSince;
    private HttpRequestRewriter rewriter;
    private HttpResponseTracker tracker;
    private ChannelHandlerContext ctx;
    private boolean rejected;
    private long drained;
    private static final long LINGER_BYTES = 256 * 1024;
    private static final long LINGER_SECONDS = 2;

    /** @param onReject told a one-line reason for the operator's event log when a request is refused */
    public HttpForwardHandler(String client, String proto, int headLimit, Consumer<String> onReject) {
        this(client, proto, headLimit, onReject, requestNanos -> { });
    }

    /**
     * @param onFirstByte told, at the first byte of the server's answer to a request, when that request was
     *                    passed on (System.nanoTime): the time to first byte
     */
    public HttpForwardHandler(String client, String proto, int headLimit, Consumer<String> onReject,
                              java.util.function.LongConsumer onFirstByte) {
        this.onFirstByte = onFirstByte;
        this.client = client;
        this.proto = proto;
        this.headLimit = headLimit;
        this.onReject = onReject;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        tracker = new HttpResponseTracker(new HttpResponseTracker.Listener() {
            @Override
            public void answered(RequestKind kind, int status) {
                if (kind.switching()) fromServer(out -> rewriter.answered(status, out));
            }

            @Override
            public void lost() {
                fromServer(out -> rewriter.answersLost(out));
            }
        });
        rewriter = new HttpRequestRewriter(ctx.alloc(), client, proto, headLimit, kind -> {
            if (waitingSince == 0) waitingSince = System.nanoTime();
            tracker.requestSent(kind);
        });
    }

    /**
     * A handler for the server side of this connection (on the same event loop): it shows the rewriter's tracker
     * every byte the server sends, and changes none.
     */
    public ChannelHandler responseWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext up, Object msg) {
                if (waitingSince != 0 && msg instanceof ByteBuf) {
                    long since = waitingSince;
                    waitingSince = 0;
                    onFirstByte.accept(since);
                }
                if (msg instanceof ByteBuf b && !rejected && tracker.following()) tracker.observe(b);
                up.fireChannelRead(msg);
            }
        };
    }

    /** An answer from the server released what the client sent meanwhile: it goes on as if just read. */
    private void fromServer(Consumer<Consumer<ByteBuf>> step) {
        if (rejected) return;
        boolean[] sent = new boolean[1];
        try {
            step.accept(b -> {
                sent[0] = true;
                ctx.fireChannelRead(b);
            });
        } catch (HttpRejection r) {
            reject(ctx, r);
        }
        if (sent[0]) ctx.fireChannelReadComplete(); // the relay flushes on read-complete
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
            reject(ctx, r);
        } finally {
            in.release();
        }
    }

    private void reject(ChannelHandlerContext ctx, HttpRejection r) {
        rejected = true;
        rewriter.release();
        onReject.accept((r.notHttp() ? "non-HTTP bytes from " : "rejected request from ") + client + ": "
                + r.getMessage() + " (" + r.status() + ")");
        String body = "jpen: " + r.getMessage() + "\n";
        String response = r.statusLine() + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
        lingeringClose(ctx, Unpooled.copiedBuffer(response, StandardCharsets.UTF_8));
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
