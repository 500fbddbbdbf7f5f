package io.jpen.core.api;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import static io.jpen.core.api.ApiHandler.error;

/**
 * {@code GET /api/v1/stream}: turns an API connection into a WebSocket that receives every snapshot, within the
 * limit on stream clients; the connection's request handler gives way to a {@link StreamHandler}.
 */
final class StreamUpgrade {
    private StreamUpgrade() {}

    static void upgrade(ApiServer server, ApiHandler handler, ChannelHandlerContext ctx, FullHttpRequest req,
                        boolean keepAlive) {
        if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
            handler.send(ctx, keepAlive, error(HttpResponseStatus.BAD_REQUEST, "GET /api/v1/stream needs a WebSocket upgrade"));
            return;
        }
        if (!server.reserveStream()) {
            handler.send(ctx, false, error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many stream clients (limit " + server.config().maxStreamClients() + ")"));
            return;
        }
        String scheme = server.config().tls() != null ? "wss" : "ws";
        String url = scheme + "://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + ApiServer.PREFIX + "stream";
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(url, null, false, 64 * 1024).newHandshaker(req);
        if (hs == null) {
            server.releaseStream();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ChannelFuture handshake;
        try {
            handshake = hs.handshake(ctx.channel(), req);
        } catch (WebSocketHandshakeException e) {
            server.releaseStream();
            handler.send(ctx, false, error(HttpResponseStatus.BAD_REQUEST, "bad WebSocket upgrade: " + e.getMessage()));
            return;
        }
        if (ctx.pipeline().get("deadline") != null) ctx.pipeline().remove("deadline"); // a stream client only listens
        handshake.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                server.releaseStream();
                f.channel().close();
                return;
            }
            ctx.pipeline().replace(handler, "stream", new StreamHandler());
            server.addStream(f.channel());
            f.channel().config().setAutoRead(true);
        });
    }
}
