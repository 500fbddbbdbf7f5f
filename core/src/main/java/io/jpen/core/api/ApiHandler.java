package io.jpen.core.api;

import io.jpen.core.api.ApiJson.BadRequestException;
import io.jpen.core.api.ApiMessages.ApiError;
import io.jpen.core.engine.Command;
import io.jpen.core.model.Reasons;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One HTTP connection of the API: answers its requests one at a time, in order (pipelining), maps a malformed
 * request to its status, checks the token first (so nothing, not even "not found", is told to a stranger), then
 * hands the request to {@link ApiRoutes}. The channel reads the next request only after this one is answered.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final int MAX_PIPELINED = 16;
    /** A client's request text quoted in an error reply is cut here. */
    private static final int MAX_QUOTED = 160;

    private final ApiServer server;
    private final ApiRoutes routes;
    private final java.util.ArrayDeque<FullHttpRequest> queued = new java.util.ArrayDeque<>();
    private boolean inFlight;

    ApiHandler(ApiServer server) {
        this.server = server;
        this.routes = new ApiRoutes(server, this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!server.admitConnection(ctx.channel())) {
            send(ctx, false, error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many API connections (limit " + server.config().maxConnections() + ")"));
            return;
        }
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        // A pipelining client may send several requests in one read; answer them one at a time, in order.
        if (inFlight) {
            if (queued.size() >= MAX_PIPELINED) {
                ctx.close();
                return;
            }
            queued.add(req.retain());
            return;
        }
        inFlight = true;
        RequestDeadline deadline = ctx.pipeline().get(RequestDeadline.class);
        if (deadline != null) deadline.requestReceived();
        handle(ctx, req);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        DecoderResult dr = req.decoderResult();
        if (!dr.isSuccess()) {
            Throwable cause = dr.cause();
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : HttpResponseStatus.BAD_REQUEST;
            String what = status == HttpResponseStatus.BAD_REQUEST
                    ? "malformed HTTP request: " + Reasons.printable(Reasons.words(cause), MAX_QUOTED)
                    : status == HttpResponseStatus.REQUEST_URI_TOO_LONG ? "request line too long"
                    : "request headers larger than " + server.config().maxHeaderBytes() + " bytes";
            send(ctx, false, error(status, what));
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        QueryStringDecoder query = new QueryStringDecoder(req.uri());
        String path;
        try {
            path = query.path();
            query.parameters(); // decoded here, so a bad escape is the client's error and not a route's failure
        } catch (IllegalArgumentException e) {
            send(ctx, keepAlive, error(HttpResponseStatus.BAD_REQUEST, "malformed request target: "
                    + Reasons.printable(Reasons.words(e), MAX_QUOTED)));
            return;
        }
        boolean publicMetrics = path.equals("/metrics") && server.config().metricsPublic();
        if (!publicMetrics && !server.config().token().matchesHeader(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse r = error(HttpResponseStatus.UNAUTHORIZED, "missing or wrong bearer token");
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"jpen\"");
            send(ctx, keepAlive, r);
            return;
        }
        if (!publicMetrics) server.authenticated(ctx.channel());
        try {
            routes.route(ctx, req, query, path, keepAlive);
        } catch (BadRequestException e) {
            send(ctx, keepAlive, error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("API request {} {} failed: {}", req.method(), path, Reasons.words(e));
            log.debug("API request {} {} failed", req.method(), path, e);
            send(ctx, keepAlive, error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + Reasons.words(e)));
        }
    }

    /** Several commands as one, all or nothing: see {@link ApiRoutes#allOrNothing}. */
    static Command allOrNothing(List<Command> parts) {
        return ApiRoutes.allOrNothing(parts);
    }

    static FullHttpResponse error(HttpResponseStatus status, String message) {
        return ApiServer.json(status, new ApiError(message));
    }

    void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) next(ctx);
                else f.channel().close();
            });
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** After an answer: the next pipelined request, or read more. Runs on the channel's event loop. */
    private void next(ChannelHandlerContext ctx) {
        FullHttpRequest req = queued.poll();
        if (req == null) {
            inFlight = false;
            RequestDeadline deadline = ctx.pipeline().get(RequestDeadline.class);
            if (deadline != null) deadline.awaitingRequest();
            ctx.read();
            return;
        }
        try {
            handle(ctx, req);
        } finally {
            req.release();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        FullHttpRequest req;
        while ((req = queued.poll()) != null) req.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("API connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
