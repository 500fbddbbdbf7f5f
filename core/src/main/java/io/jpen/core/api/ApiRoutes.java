package io.jpen.core.api;

import io.jpen.core.api.ApiJson.BadRequestException;
import io.jpen.core.api.ApiMessages.CloseRequest;
import io.jpen.core.api.ApiMessages.CloseResponse;
import io.jpen.core.api.ApiMessages.CommandRequest;
import io.jpen.core.api.ApiMessages.CommandResponse;
import io.jpen.core.api.ApiMessages.ConnectionPage;
import io.jpen.core.api.ApiMessages.ServerChange;
import io.jpen.core.api.ApiMessages.SettingsChange;
import io.jpen.core.console.Sampler;
import io.jpen.core.engine.Command;
import io.jpen.core.model.Reasons;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Connection;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.Snapshot;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The API's endpoints: which method and path does what, with the checks on parameters and bodies each one makes.
 * A request reaches here only once it is whole and authenticated ({@link ApiHandler}).
 */
final class ApiRoutes {
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final ApiServer server;
    private final ApiHandler handler;

    ApiRoutes(ApiServer server, ApiHandler handler) {
        this.server = server;
        this.handler = handler;
    }

    void route(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder query, String path,
                       boolean keepAlive) {
        HttpMethod m = req.method();
        if (path.equals("/metrics")) {
            if (!only(ctx, keepAlive, m, HttpMethod.GET)) return;
            noQuery(query);
            byte[] body = server.metrics().scrape();
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, ApiMetrics.CONTENT_TYPE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            send(ctx, keepAlive, r);
            return;
        }
        if (!path.startsWith(ApiServer.PREFIX)) {
            send(ctx, keepAlive, error(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path));
            return;
        }
        String rest = path.substring(ApiServer.PREFIX.length());
        switch (rest) {
            case "snapshot" -> {
                if (!only(ctx, keepAlive, m, HttpMethod.GET)) return;
                noQuery(query);
                Snapshot s = server.console().latest();
                send(ctx, keepAlive, s == null ? error(HttpResponseStatus.SERVICE_UNAVAILABLE, "no snapshot yet, retry after a tick")
                        : ApiServer.json(HttpResponseStatus.OK, s));
            }
            case "stream" -> {
                if (!only(ctx, keepAlive, m, HttpMethod.GET)) return;
                noQuery(query);
                StreamUpgrade.upgrade(server, handler, ctx, req, keepAlive);
            }
            case "command" -> {
                if (!only(ctx, keepAlive, m, HttpMethod.POST)) return;
                noQuery(query);
                CommandRequest c = ApiJson.readRequest(body(req), CommandRequest.class);
                if (c.command() == null) throw new BadRequestException("field 'command' is required");
                // a penctl line the parser rejects is an answer, as penctl would print it, not a broken request
                reply(ctx, keepAlive, server.run(c.command()), r -> ApiServer.json(HttpResponseStatus.OK, new CommandResponse(r.ok(), r.text())));
            }
            case "connections" -> {
                if (!only(ctx, keepAlive, m, HttpMethod.GET)) return;
                send(ctx, keepAlive, ApiServer.json(HttpResponseStatus.OK, page(query)));
            }
            case "connections/close" -> {
                if (!only(ctx, keepAlive, m, HttpMethod.POST)) return;
                noQuery(query);
                closeMany(ctx, keepAlive, ApiJson.readRequest(body(req), CloseRequest.class));
            }
            case "settings" -> {
                if (!only(ctx, keepAlive, m, HttpMethod.PUT)) return;
                noQuery(query);
                SettingsChange change = ApiJson.readRequest(body(req), SettingsChange.class);
                List<Command> parts = new ArrayList<>();
                for (String line : change.commandLines()) parts.add(parse(line));
                reply(ctx, keepAlive, server.run(allOrNothing(parts), String.join("; ", change.commandLines())),
                        ApiRoutes::changed);
            }
            default -> {
                if (rest.startsWith("connections/")) {
                    if (!only(ctx, keepAlive, m, HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE)) return;
                    noQuery(query);
                    int id = index("connection", rest.substring("connections/".length()));
                    if (m.equals(HttpMethod.GET)) {
                        io.jpen.core.model.ConnectionDetail d = Sampler.detail(server.engine(), id);
                        send(ctx, keepAlive, d != null ? ApiServer.json(HttpResponseStatus.OK, d)
                                : error(HttpResponseStatus.NOT_FOUND, "no connection " + id + " (unknown, or closed too long ago)"));
                        return;
                    }
                    reply(ctx, keepAlive, server.run(parse("close " + id), "close " + id), r -> r.ok()
                            ? ApiServer.json(HttpResponseStatus.OK, new CommandResponse(true, r.text()))
                            : ApiServer.json(HttpResponseStatus.NOT_FOUND, new CommandResponse(false, r.text())));
                } else if (rest.startsWith("servers/")) {
                    if (!only(ctx, keepAlive, m, HttpMethod.PUT)) return;
                    noQuery(query);
                    int n = index("server", rest.substring("servers/".length()));
                    ServerChange change = ApiJson.readRequest(body(req), ServerChange.class);
                    List<Command> parts = new ArrayList<>();
                    for (String line : change.commandLines(n)) parts.add(parse(line));
                    reply(ctx, keepAlive, server.run(allOrNothing(parts), String.join("; ", change.commandLines(n))),
                            ApiRoutes::changed);
                } else {
                    send(ctx, keepAlive, error(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path));
                }
            }
        }
    }

    /** A structured change: 200 when the engine took it, 422 (and nothing changed) when it refused. */
    private static FullHttpResponse changed(Reply r) {
        return ApiServer.json(r.ok() ? HttpResponseStatus.OK : HttpResponseStatus.UNPROCESSABLE_ENTITY,
                new CommandResponse(r.ok(), r.text()));
    }

    private Command parse(String line) {
        try {
            return server.penctl().parse(line);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    /**
     * Several commands as one: if any is refused, everything they changed (settings, health settings, servers) is
     * put back as it was. The replies of the parts are not passed on.
     */
    static Command allOrNothing(List<Command> parts) {
        Command together = io.jpen.core.control.ConfigFile.together(parts);
        return state -> {
            together.apply(state);
            return Reply.EMPTY;
        };
    }

    private void closeMany(ChannelHandlerContext ctx, boolean keepAlive, CloseRequest req) {
        if (req.ids() == null || req.ids().isEmpty()) throw new BadRequestException("field 'ids' must list at least one connection id");
        List<Integer> ids = new ArrayList<>(req.ids());
        List<Command> closes = new ArrayList<>();
        for (Integer id : ids) {
            if (id == null || id < 0) throw new BadRequestException("field 'ids': '" + id + "' is not a connection id");
            closes.add(parse("close " + id));
        }
        List<Integer> closed = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        Command all = state -> {
            for (int i = 0; i < closes.size(); i++) {
                try {
                    closes.get(i).apply(state);
                    closed.add(ids.get(i));
                } catch (IllegalArgumentException gone) {
                    missing.add(ids.get(i)); // ended on its own meanwhile: nothing left to close
                }
            }
            return Reply.EMPTY;
        };
        reply(ctx, keepAlive, server.run(all, "close " + ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" "))),
                r -> ApiServer.json(HttpResponseStatus.OK, new CloseResponse(ApiMessages.VERSION, closed, missing)));
    }

    private ConnectionPage page(QueryStringDecoder query) {
        Map<String, List<String>> params = query.parameters();
        for (String k : params.keySet()) {
            if (!Set.of("offset", "limit").contains(k)) throw new BadRequestException("unknown parameter '" + k + "' (known: offset, limit)");
        }
        int offset = param(params, "offset", 0);
        int limit = param(params, "limit", DEFAULT_PAGE);
        if (limit < 1 || limit > MAX_PAGE) throw new BadRequestException("parameter 'limit' must be 1-" + MAX_PAGE + ", not " + limit);
        Engine engine = server.engine();
        List<Connection> all = new ArrayList<>(engine.connections().all());
        all.sort(Comparator.comparingInt(Connection::id));
        long now = engine.clock().millis();
        List<ConnectionView> views = new ArrayList<>();
        for (int i = offset; i < all.size() && i < (long) offset + limit; i++) views.add(Sampler.view(all.get(i), now));
        return new ConnectionPage(ApiMessages.VERSION, all.size(), offset, limit, views);
    }

    private static int param(Map<String, List<String>> params, String name, int dflt) {
        List<String> v = params.get(name);
        if (v == null) return dflt;
        if (v.size() != 1) throw new BadRequestException("parameter '" + name + "' given more than once");
        try {
            int n = Integer.parseInt(v.get(0));
            if (n < 0) throw new BadRequestException("parameter '" + name + "' must not be negative");
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequestException("parameter '" + name + "': '" + v.get(0) + "' is not a number");
        }
    }

    private static int index(String what, String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadRequestException("'" + text + "' is not a " + what + " number");
    }

    private static void noQuery(QueryStringDecoder query) {
        if (!query.parameters().isEmpty()) {
            throw new BadRequestException("unknown parameter '" + query.parameters().keySet().iterator().next() + "'");
        }
    }

    private static byte[] body(FullHttpRequest req) {
        return ByteBufUtil.getBytes(req.content());
    }

    private boolean only(ChannelHandlerContext ctx, boolean keepAlive, HttpMethod actual, HttpMethod... allowed) {
        StringBuilder names = new StringBuilder();
        for (HttpMethod a : allowed) {
            if (a.equals(actual)) return true;
            if (names.length() > 0) names.append(", ");
            names.append(a.name());
        }
        FullHttpResponse r = error(HttpResponseStatus.METHOD_NOT_ALLOWED, actual.name() + " not allowed here (use " + names + ")");
        r.headers().set(HttpHeaderNames.ALLOW, names.toString());
        send(ctx, keepAlive, r);
        return false;
    }

    private <T> void reply(ChannelHandlerContext ctx, boolean keepAlive, CompletableFuture<T> result,
                           java.util.function.Function<T, FullHttpResponse> render) {
        result.whenComplete((value, err) -> ctx.executor().execute(() -> {
            if (err == null) {
                send(ctx, keepAlive, render.apply(value));
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            log.warn("API command failed: {}", Reasons.words(cause));
            log.debug("API command failed", cause);
            send(ctx, keepAlive, error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "command failed: " + Reasons.words(cause)));
        }));
    }

    private void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        handler.send(ctx, keepAlive, r);
    }

    private static FullHttpResponse error(HttpResponseStatus status, String message) {
        return ApiHandler.error(status, message);
    }
}
