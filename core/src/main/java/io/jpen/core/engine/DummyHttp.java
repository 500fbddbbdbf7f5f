package io.jpen.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * Pen's dummy server, done properly: jpen answers every HTTP request on the connection itself with a tiny 200,
 * honouring keep-alive and answering pipelined requests in order, so load tools run against it without errors.
 * A connection keeps the mode it was accepted in; switching {@code dummy} off affects only new connections.
 */
final class DummyHttp {
    /** The pipeline name that marks a connection answered by jpen itself. */
    static final String NAME = "dummy";
    private static final byte[] BODY = "<html><body>jpen dummy server</body></html>\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf SHARED_BODY = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(BODY.length).writeBytes(BODY).asReadOnly());

    private DummyHttp() {}

    /** Turns an accepted client channel into a dummy web server for its whole life. */
    static void install(Channel down, Connection conn, Relay relay) {
        conn.assign(io.jpen.core.select.Target.NONE, null); // listed as going to no server, not to server 0
        ChannelPipeline p = down.pipeline();
        // Counting raw bytes keeps the byte counters and the idle clock right for dummy connections too.
        p.addLast("dummy-count", new Counter(conn, relay));
        p.addLast("dummy-codec", new HttpServerCodec());
        p.addLast("dummy-continue", new HttpServerExpectContinueHandler());
        p.addLast("dummy-keepalive", new HttpServerKeepAliveHandler());
        p.addLast(NAME, new Responder(conn));
    }

    static boolean installed(Connection conn) {
        return conn.down().pipeline().get(NAME) != null;
    }

    private static final class Counter extends ChannelDuplexHandler {
        private final Connection conn;
        private final Relay relay;

        Counter(Connection conn, Relay relay) {
            this.conn = conn;
            this.relay = relay;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) conn.countUp(b.readableBytes(), relay.nowMillis());
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b) conn.countDown(b.readableBytes(), relay.nowMillis());
            ctx.write(msg, promise);
        }
    }

    private static final class Responder extends ChannelInboundHandlerAdapter {
        private final Connection conn;
        private boolean failed;

        Responder(Connection conn) {
            this.conn = conn;
        }

        private boolean started;

        /** Installed after the channel went active (behind a PROXY header): start now, no channelActive will come. */
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isRegistered() && ctx.channel().isActive()) start(ctx);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            start(ctx);
            ctx.fireChannelActive();
        }

        private void start(ChannelHandlerContext ctx) {
            if (started) return;
            started = true;
            conn.state(Connection.State.ESTABLISHED);
            ctx.channel().config().setAutoRead(true);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (failed) return;
                if (msg instanceof HttpRequest req && req.decoderResult().isFailure()) {
                    // A malformed request gets a clear 400 and the connection ends: there is no way to resync.
                    failed = true;
                    FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                            Unpooled.copiedBuffer("bad request: " + req.decoderResult().cause().getMessage() + "\n",
                                    StandardCharsets.US_ASCII));
                    bad.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, bad.content().readableBytes());
                    ctx.writeAndFlush(bad).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                    return;
                }
                if (msg instanceof LastHttpContent) {
                    // Answer once the whole request (body included) is in, so pipelined requests stay in step.
                    FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            SHARED_BODY.duplicate());
                    ok.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_HTML)
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
                    ctx.write(ok);
                    if (!ctx.channel().isWritable()) {
                        // The client is not reading its answers: stop reading its requests until it does.
                        ctx.channel().config().setAutoRead(false);
                        ctx.flush(); // after the pause: a flush that drains at once resumes reading
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                // The client is done asking: send what is still queued, then close.
                conn.closeAfterFlush(ctx.channel());
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
