package io.jpen.core.engine;

import io.jpen.core.model.Settings;
import io.jpen.core.select.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pen's "reliable idlers": N idle connections held open to the backends, spread over the servers that are
 * available, and replaced when they close. All state lives on one event loop, so nothing here is locked; only
 * the counts are published for observers.
 *
 * <p>Reconnecting is bounded: at most {@link #MAX_CONNECTING} connects are in flight, and a server that refuses
 * (or accepts and drops at once) is left alone for a back-off that doubles up to {@link #MAX_BACKOFF_MILLIS}.
 */
final class Idlers {
    private static final Logger log = LoggerFactory.getLogger(Idlers.class);
    static final int MAX_CONNECTING = 16;
    static final long FIRST_BACKOFF_MILLIS = 250;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    /** An idler that lives shorter than this counts as a failure, so a server that drops them is not hammered. */
    static final long HEALTHY_MILLIS = 1_000;

    private record Idler(Channel channel, int server, long openedMillis) {}

    /** Per server: when it may be tried again, and the current back-off. */
    private static final class Backoff {
        long untilMillis;
        long delayMillis;
    }

    private final Engine engine;
    private final List<Idler> open = new ArrayList<>();
    private final Map<Integer, Integer> perServer = new HashMap<>();
    private final Map<Integer, Backoff> backoff = new HashMap<>();
    private int connecting;
    private volatile int current;
    private volatile int wanted;
    private EventLoop loop;
    private boolean stopped;

    Idlers(Engine engine, int wanted) {
        this.engine = engine;
        this.wanted = wanted;
    }

    int current() { return current; }
    int wanted() { return wanted; }

    /** Begins keeping idlers on {@code loop}; called once by the engine's start. */
    void start(EventLoop loop) {
        this.loop = loop;
        loop.execute(this::refill);
    }

    /** A new target count: surplus idlers close at once, missing ones are opened (at the bounded rate). */
    void wanted(int n) {
        wanted = n;
        EventLoop l = loop;
        if (l != null) l.execute(this::refill);
    }

    /** Called by housekeeping on the idlers' loop: retries servers whose back-off has passed. */
    void tick() {
        refill();
    }

    void stop() {
        EventLoop l = loop;
        if (l == null) return;
        l.execute(() -> {
            stopped = true;
            for (Idler i : new ArrayList<>(open)) i.channel().close();
        });
    }

    private void refill() {
        if (stopped) return;
        int n = wanted;
        while (open.size() > n) {
            Idler newest = open.remove(open.size() - 1);
            forget(newest.server());
            newest.channel().close();
        }
        publish();
        long now = engine.clock().millis();
        while (open.size() + connecting < n && connecting < MAX_CONNECTING) {
            Server s = pick(now);
            if (s == null) return; // nothing available now; the next tick tries again
            connect(s);
        }
    }

    /** The available server holding the fewest idlers, so they spread evenly. */
    private Server pick(long now) {
        Server best = null;
        int bestCount = Integer.MAX_VALUE;
        for (Server s : engine.serverArray()) {
            if (s.address() == null || !s.inRotation(now)) continue; // not to a server that takes no clients
            Backoff b = backoff.get(s.index());
            if (b != null && now < b.untilMillis) continue;
            int c = perServer.getOrDefault(s.index(), 0);
            if (c < bestCount) {
                best = s;
                bestCount = c;
            }
        }
        return best;
    }

    private void connect(Server s) {
        Settings settings = engine.settings();
        InetSocketAddress address = s.address();
        int index = s.index();
        connecting++;
        perServer.merge(index, 1, Integer::sum);
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(engine.transport().socketChannel())
                // Pen takes any int as -t: beyond 2,147,483 s the milliseconds no longer fit Netty's int option.
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.timeoutSeconds() * 1000L))
                .option(ChannelOption.TCP_NODELAY, settings.tcpNodelay())
                .option(ChannelOption.SO_KEEPALIVE, settings.keepalive())
                .handler(Discard.INSTANCE);
        ChannelFuture f = b.connect(address);
        f.addListener(done -> {
            connecting--;
            if (!done.isSuccess()) {
                forget(index);
                failed(index, engine.clock().millis());
                if (log.isDebugEnabled()) log.debug("idler to server {} ({}) failed: {}", index, address, done.cause().toString());
                refill();
                return;
            }
            Channel ch = f.channel();
            if (stopped || open.size() >= wanted) {
                forget(index); // the target shrank while this one was connecting
                ch.close();
                return;
            }
            // A server that expects PROXY headers gets the one for jpen's own connections (LOCAL), as it would
            // for a health check: an idler is never handed to a client, so no client address could ever go on it.
            io.jpen.core.engine.proxy.ProxyHeaderWriter.writeLocal(ch, s.spec().proxy());
            Idler idler = new Idler(ch, index, engine.clock().millis());
            open.add(idler);
            publish();
            ch.closeFuture().addListener(closed -> lost(idler));
        });
    }

    private void lost(Idler idler) {
        if (!open.remove(idler)) return; // closed on purpose by refill or stop
        forget(idler.server());
        long now = engine.clock().millis();
        if (now - idler.openedMillis() < HEALTHY_MILLIS) {
            failed(idler.server(), now);
        } else {
            backoff.remove(idler.server());
        }
        publish();
        refill();
    }

    private void failed(int server, long now) {
        Backoff b = backoff.computeIfAbsent(server, k -> new Backoff());
        // Several idlers dropped together are one failure, not several: escalate once per back-off period.
        if (now < b.untilMillis) return;
        b.delayMillis = b.delayMillis == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, b.delayMillis * 2);
        b.untilMillis = now + b.delayMillis;
    }

    private void forget(int server) {
        perServer.merge(server, -1, Integer::sum);
    }

    private void publish() {
        current = open.size();
    }

    /** Idlers only hold the connection; whatever a server sends is dropped, and its close ends the idler. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
