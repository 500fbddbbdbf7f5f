package io.jpen.core.api;

import io.jpen.core.console.Console;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.control.Penctl;
import io.jpen.core.engine.Command;
import io.jpen.core.model.Origin;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Snapshot;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JSON API: HTTP/1.1 and a WebSocket stream of Snapshots on Netty, in front of one in-process engine.
 * Commands in, Snapshots out, like every other console. Runs on its own small event loop group and its own
 * command thread, so a flood of API requests never competes with the relay's event loops.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    static final String PREFIX = "/api/v1/";
    /** Time for a whole request (and the TLS handshake) once its first byte has come; a trickle does not renew it. */
    static final int REQUEST_SECONDS = 10;
    /** Connections one client address may hold before showing the token; more push out its oldest. */
    static final int STRANGERS_PER_ADDRESS = 32;

    private final LocalConsole console;
    private final ApiConfig config;
    private final ApiMetrics metrics;
    private final ExecutorService commands;
    private final ChannelGroup streams = new DefaultChannelGroup("jpen-api-streams", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger streamSlots = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    /** Connections that have not shown the token yet, oldest first, by client address. Guarded by itself. */
    private final Map<InetAddress, ArrayDeque<Channel>> strangers = new HashMap<>();
    private EventLoopGroup group;
    private Channel listener;
    private Console.Subscription subscription;

    public ApiServer(LocalConsole console, ApiConfig config) {
        this.console = console;
        this.config = config;
        this.metrics = new ApiMetrics(console::latest);
        this.commands = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jpen-api-commands");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds the listener; throws IllegalArgumentException naming the address when it cannot. */
    public synchronized ApiServer start() {
        if (group != null) throw new IllegalStateException("already started");
        group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("jpen-api-io"), NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                // one request at a time per connection: read the next only after answering this one
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("deadline", new RequestDeadline(config.idleSeconds(), REQUEST_SECONDS));
                        if (config.tls() != null) p.addLast("tls", config.tls().newHandler(ch.alloc()));
                        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(Math.min(config.maxHeaderBytes(), 8192))
                                .setMaxHeaderSize(config.maxHeaderBytes())
                                .setMaxChunkSize(8192)));
                        p.addLast("aggregate", new LimitedAggregator(config.maxBodyBytes()));
                        p.addLast("api", new ApiHandler(ApiServer.this));
                    }
                });
        try {
            listener = b.bind(config.bind()).syncUninterruptibly().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw new IllegalArgumentException("cannot listen for the API on " + config.bind() + ": " + e.getMessage(), e);
        }
        subscription = console.subscribe(this::broadcast);
        log.info("API listening on {}", uri());
        return this;
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:9090}. */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) host = "[" + host + "]";
        return URI.create((config.tls() != null ? "https" : "http") + "://" + host + ":" + a.getPort());
    }

    ApiConfig config() { return config; }
    LocalConsole console() { return console; }
    Engine engine() { return console.engine(); }
    ApiMetrics metrics() { return metrics; }

    /** The door API requests go through: files they name must lie in the daemon's directories. */
    Penctl penctl() { return console.penctl().remote(); }

    /** Runs a penctl line on the API's command thread; the engine serialises it with every other command. */
    CompletableFuture<Reply> run(String line) {
        return CompletableFuture.supplyAsync(() -> penctl().execute(line, Origin.API), commands);
    }

    /**
     * Runs a command built from parsed lines on the API's command thread, through the same door; {@code what} is
     * the lines it was built from, for the event log.
     */
    CompletableFuture<Reply> run(Command command, String what) {
        return CompletableFuture.supplyAsync(() -> penctl().execute(command, Origin.API, what), commands);
    }

    /** Reserves a stream slot; false when the limit is reached. */
    boolean reserveStream() {
        while (true) {
            int n = streamSlots.get();
            if (n >= config.maxStreamClients()) return false;
            if (streamSlots.compareAndSet(n, n + 1)) return true;
        }
    }

    /**
     * Counts a new API connection; false (and not counted) when every place is taken by a client that has shown the
     * token. Connections that have not shown it cannot lock those clients out: when the places are full, or when
     * one address holds STRANGERS_PER_ADDRESS of them, the oldest such connection (of the address that holds the
     * most) is closed to make room.
     */
    boolean admitConnection(Channel ch) {
        InetAddress from = ch.remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
        Channel evicted = null;
        synchronized (strangers) {
            ArrayDeque<Channel> same = strangers.get(from);
            if (same != null && same.size() >= STRANGERS_PER_ADDRESS) {
                evicted = same.pollFirst();
            } else if (connections.get() >= config.maxConnections()) {
                evicted = oldestStrangerOfBusiestAddress();
                if (evicted == null) return false; // all places held by clients that showed the token
            }
            if (evicted != null) forget(evicted);
            strangers.computeIfAbsent(from, k -> new ArrayDeque<>()).addLast(ch);
            connections.incrementAndGet();
        }
        ch.closeFuture().addListener(f -> {
            connections.decrementAndGet();
            synchronized (strangers) {
                forget(ch);
            }
        });
        if (evicted != null) {
            log.debug("API connection {} closed to make room for {}", evicted.remoteAddress(), ch.remoteAddress());
            evicted.close();
        }
        return true;
    }

    /** The connection has shown the token: it is no longer one that may be closed to make room. */
    void authenticated(Channel ch) {
        synchronized (strangers) {
            forget(ch);
        }
    }

    private Channel oldestStrangerOfBusiestAddress() {
        ArrayDeque<Channel> busiest = null;
        for (ArrayDeque<Channel> d : strangers.values()) {
            if (busiest == null || d.size() > busiest.size()) busiest = d;
        }
        return busiest == null ? null : busiest.pollFirst();
    }

    private void forget(Channel ch) {
        InetAddress from = ch.remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
        ArrayDeque<Channel> d = strangers.get(from);
        if (d == null) return;
        d.remove(ch);
        if (d.isEmpty()) strangers.remove(from);
    }

    void releaseStream() {
        streamSlots.decrementAndGet();
    }

    void addStream(Channel ch) {
        streams.add(ch);
        ch.closeFuture().addListener(f -> releaseStream());
        Snapshot s = console.latest();
        if (s != null) ch.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(ApiJson.write(s))));
    }

    /** Stream slots in use: open streams plus upgrades in progress. */
    int streamClients() {
        return streamSlots.get();
    }

    /** Serialises each tick once and sends it to every stream client that keeps up; slow ones skip ticks. */
    private void broadcast(Snapshot s) {
        if (streams.isEmpty()) return;
        byte[] json = ApiJson.write(s);
        for (Channel ch : streams) {
            if (ch.isWritable()) ch.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(json)), ch.voidPromise());
        }
    }

    @Override
    public synchronized void close() {
        if (group == null) return;
        if (subscription != null) subscription.close();
        // say goodbye properly, so a remote console knows the balancer went away on purpose
        streams.writeAndFlush(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(1001, "jpen API stopping"))
                .awaitUninterruptibly(1, TimeUnit.SECONDS);
        streams.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        group = null;
        commands.shutdownNow();
        log.info("API stopped");
    }

    static FullHttpResponse json(HttpResponseStatus status, Object body) {
        byte[] bytes = ApiJson.write(body);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return r;
    }

    /** Answers an oversized body with the API's JSON error and closes: the rest of the body is not worth reading. */
    private static final class LimitedAggregator extends HttpObjectAggregator {
        LimitedAggregator(int max) {
            super(max);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            FullHttpResponse r = json(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    new ApiMessages.ApiError("request body larger than " + maxContentLength() + " bytes"));
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
