package io.jpen.core.reliability;

import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many connections opened and closed with random aborts on both sides (RST, half-close, close at once): once
 * they are gone, jpen holds no connection, descriptor or server slot, and its heap is back near where it began.
 * CI runs a few thousand; {@code scripts/load.sh COUNT} runs 100,000 (property {@code jpen.load.connections}).
 */
@Timeout(600)
class ConnectionChurnTest {
    private static final int CONNECTIONS = TestNetty.intProperty("jpen.load.connections", 4000);
    private static final int IN_FLIGHT = TestNetty.intProperty("jpen.load.concurrency", 200);
    /** A connection that has not ended after this long is counted as stuck: the test fails. */
    private static final long STUCK_SECONDS = 20;

    /** What a backend does with one connection. */
    enum ServerWay { ECHO_UNTIL_EOF, RESET_AFTER_FIRST_READ, HALF_CLOSE_AFTER_FIRST_READ, CLOSE_AT_ONCE }

    /** What a client does with one connection. */
    enum ClientWay { SEND_HALF_CLOSE_READ_ALL, SEND_THEN_RESET, CONNECT_THEN_CLOSE, SEND_READ_SOME_THEN_CLOSE }

    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger stuck = new AtomicInteger();
    private final AtomicInteger connectFailures = new AtomicInteger();
    private final AtomicLong bytesEchoed = new AtomicLong();

    @Test
    void thousandsOfConnectionsAbortedAtRandomOnBothSidesLeaveNothingBehind() throws Exception {
        churn(s -> s, CONNECTIONS);
    }

    @Test
    void withATinyPendingMaxTheListenerPausesAndResumesWithoutEverStickingShut() throws Exception {
        // pending_max 2 pauses and resumes accepting all the time, from every event loop at once.
        churn(s -> s.withPendingMax(2), Math.min(CONNECTIONS, 3000));
    }

    private void churn(java.util.function.UnaryOperator<Settings> settings, int connections) throws Exception {
        try (TestNetty net = new TestNetty(1)) {
            Channel backend = startBackend(net);
            int backendPort = ((InetSocketAddress) backend.localAddress()).getPort();
            try (Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                    List.of(ServerSpec.of("127.0.0.1", backendPort)),
                    settings.apply(Settings.defaults().withConnMax(100_000))))) {
                e.start();
                run(net, e, Math.min(200, connections), 1); // warm-up: classes, pools, client table entries
                awaitIdle(e);
                long fds = Resources.openFds();
                long heap = Resources.heapAfterGc();
                long pool = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
                ended.set(0);

                long t0 = System.nanoTime();
                run(net, e, connections, 2);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(stuck.get()).as("connections that never ended").isZero();
                assertThat(connectFailures.get()).as("connects to jpen that failed").isZero();
                assertThat(ended.get()).isEqualTo(connections);

                awaitIdle(e);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(Resources.openFds()).as("open descriptors").isLessThanOrEqualTo(fds));
                long heapAfter = Resources.heapAfterGc();
                long poolAfter = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
                System.out.printf("churn: %d connections in %d ms, %d bytes echoed; descriptors %d -> %d;"
                                + " heap after GC %s -> %s; jpen buffer pool %s -> %s%n",
                        connections, millis, bytesEchoed.get(), fds, Resources.openFds(),
                        Resources.mib(heap), Resources.mib(heapAfter), Resources.mib(pool), Resources.mib(poolAfter));
                assertThat(heapAfter).as("heap after GC").isLessThan(heap + (32L << 20));
                assertThat(e.connections().acceptedTotal()).isGreaterThanOrEqualTo(connections);
            } finally {
                backend.close().syncUninterruptibly();
            }
        }
    }

    private static void awaitIdle(Engine e) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(e.connections().size()).as("live connections").isZero();
            assertThat(e.pendingConnects()).as("pending connects").isZero();
            assertThat(e.servers()).allSatisfy(s -> assertThat(s.connections()).isZero());
        });
    }

    private void run(TestNetty net, Engine e, int count, long seed) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        Semaphore slots = new Semaphore(IN_FLIGHT);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port());
        for (int i = 0; i < count; i++) {
            slots.acquire();
            ClientWay way = ClientWay.values()[random.nextInt(ClientWay.values().length)];
            int size = random.nextInt(16 * 1024) + 1;
            // Clients come from many loopback addresses: the client table fills and evicts, and no single
            // source address runs out of ports at 100,000 connections.
            byte[] from = {127, (byte) random.nextInt(256), (byte) random.nextInt(256), (byte) (1 + random.nextInt(254))};
            InetSocketAddress source;
            try {
                source = new InetSocketAddress(InetAddress.getByAddress(from), 0);
            } catch (java.net.UnknownHostException impossible) {
                throw new AssertionError(impossible);
            }
            new Bootstrap().group(net.group).channel(NioSocketChannel.class)
                    .option(ChannelOption.ALLOCATOR, net.alloc)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .handler(new Client(way, size))
                    .connect(target, source)
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            connectFailures.incrementAndGet();
                            ended.incrementAndGet();
                            slots.release();
                            return;
                        }
                        Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                        var deadline = ch.eventLoop().schedule(() -> {
                            stuck.incrementAndGet();
                            ch.close();
                        }, STUCK_SECONDS, TimeUnit.SECONDS);
                        ch.closeFuture().addListener(c -> {
                            deadline.cancel(false);
                            ended.incrementAndGet();
                            slots.release();
                        });
                    });
        }
        // Every connection has ended; a listener that stopped accepting shows up here as a timeout.
        if (!slots.tryAcquire(IN_FLIGHT, 120, TimeUnit.SECONDS)) {
            throw new AssertionError((IN_FLIGHT - slots.availablePermits()) + " connections never ended (live in jpen: "
                    + e.connections().size() + ", pending connects: " + e.pendingConnects() + ")");
        }
        slots.release(IN_FLIGHT);
    }

    private final class Client extends ChannelInboundHandlerAdapter {
        private final ClientWay way;
        private final int size;
        private int received;

        Client(ClientWay way, int size) {
            this.way = way;
            this.size = size;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            SocketChannel ch = (SocketChannel) ctx.channel();
            switch (way) {
                case CONNECT_THEN_CLOSE -> ch.close();
                case SEND_THEN_RESET -> ch.writeAndFlush(payload(ctx)).addListener(f -> {
                    ch.config().setSoLinger(0);
                    ch.close();
                });
                case SEND_HALF_CLOSE_READ_ALL -> ch.writeAndFlush(payload(ctx)).addListener(f -> ch.shutdownOutput());
                case SEND_READ_SOME_THEN_CLOSE -> ch.writeAndFlush(payload(ctx));
            }
        }

        private ByteBuf payload(ChannelHandlerContext ctx) {
            ByteBuf b = ctx.alloc().buffer(size);
            b.writerIndex(size);
            return b;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received += ((ByteBuf) msg).readableBytes();
            ReferenceCountUtil.release(msg);
            if (way == ClientWay.SEND_READ_SOME_THEN_CLOSE && received > 0) ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) ctx.close(); // the far end is done: so are we
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // resets are part of the test
        }
    }

    private Channel startBackend(TestNetty net) {
        return new ServerBootstrap().group(net.group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.ALLOCATOR, net.alloc)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ServerWay way = ServerWay.values()[ThreadLocalRandom.current().nextInt(ServerWay.values().length)];
                        ch.pipeline().addLast(new BackendHandler(way));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }

    private final class BackendHandler extends ChannelInboundHandlerAdapter {
        private final ServerWay way;
        private boolean first = true;

        BackendHandler(ServerWay way) {
            this.way = way;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (way == ServerWay.CLOSE_AT_ONCE) ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            SocketChannel ch = (SocketChannel) ctx.channel();
            ByteBuf b = (ByteBuf) msg;
            boolean wasFirst = first;
            first = false;
            if (way == ServerWay.RESET_AFTER_FIRST_READ) {
                b.release();
                ch.config().setSoLinger(0);
                ch.close();
                return;
            }
            bytesEchoed.addAndGet(b.readableBytes());
            if (ch.isOutputShutdown()) {
                b.release();
                return;
            }
            var written = ctx.writeAndFlush(b);
            if (way == ServerWay.HALF_CLOSE_AFTER_FIRST_READ && wasFirst) written.addListener(f -> ch.shutdownOutput());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                // The client is done: finish after what is queued.
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> ctx.close());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
