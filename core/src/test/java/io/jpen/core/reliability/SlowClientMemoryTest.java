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
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow clients each pulling a lot from a fast backend through jpen: backpressure must hold jpen's buffering to a
 * bounded amount per connection, however much the backend has to send. CI pulls a little; {@code scripts/load.sh}
 * passes {@code jpen.slow.clients=1000 jpen.slow.mib=100} for the full run. Prints the peak.
 */
@Timeout(1800)
class SlowClientMemoryTest {
    private static final int CLIENTS = TestNetty.intProperty("jpen.slow.clients", 40);
    private static final long BYTES_EACH = TestNetty.longProperty("jpen.slow.mib", 4) << 20;
    /** What jpen may hold per pair: its write high-water mark on each side plus a read buffer or two. */
    private static final long BOUND_PER_CONNECTION = 1L << 20;
    private static final long BOUND_FIXED = 64L << 20;
    private static final int READ_SIZE = 16 * 1024;

    @Test
    void slowClientsPullingFromAFastBackendKeepJpensBufferingBounded() throws Exception {
        ByteBuf source = Unpooled.directBuffer(64 * 1024).writeZero(64 * 1024);
        // Every write sends a slice of the same bytes; the slices' releases must not free them, the test's end does.
        ByteBuf chunk = Unpooled.unreleasableBuffer(source);
        try (TestNetty net = new TestNetty(2)) {
            Channel backend = startSource(net, chunk);
            int port = ((InetSocketAddress) backend.localAddress()).getPort();
            try (Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                    List.of(ServerSpec.of("127.0.0.1", port)), Settings.defaults()))) {
                e.start();
                PoolSampler sampler = new PoolSampler();
                sampler.start();
                CountDownLatch done = new CountDownLatch(CLIENTS);
                AtomicInteger complete = new AtomicInteger();
                AtomicLong total = new AtomicLong();
                InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port());
                long t0 = System.nanoTime();
                for (int i = 0; i < CLIENTS; i++) {
                    new Bootstrap().group(net.group).channel(NioSocketChannel.class)
                            .option(ChannelOption.ALLOCATOR, net.alloc)
                            .option(ChannelOption.AUTO_READ, false)
                            .option(ChannelOption.SO_RCVBUF, READ_SIZE)
                            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_SIZE))
                            .handler(new SlowReader(done, complete, total))
                            .connect(target).syncUninterruptibly();
                }
                assertThat(done.await(25, TimeUnit.MINUTES)).as("every client finished").isTrue();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                sampler.stopSampling();
                await().atMost(Duration.ofSeconds(20)).until(() -> e.connections().size() == 0);
                long bound = CLIENTS * BOUND_PER_CONNECTION + BOUND_FIXED;
                System.out.printf("slow clients: %d x %d MiB pulled in %d ms; jpen buffer pool peak %s (bound %s),"
                                + " JVM heap peak %s%n", CLIENTS, BYTES_EACH >> 20, millis, Resources.mib(sampler.peakPool),
                        Resources.mib(bound), Resources.mib(sampler.peakHeap));
                assertThat(complete.get()).as("clients that got every byte").isEqualTo(CLIENTS);
                assertThat(total.get()).isEqualTo(CLIENTS * BYTES_EACH);
                assertThat(sampler.peakPool).as("jpen's buffer pool at its peak").isLessThan(bound);
            } finally {
                backend.close().syncUninterruptibly();
            }
        } finally {
            source.release();
        }
    }

    /** Samples jpen's buffer pool (PooledByteBufAllocator.DEFAULT is jpen's alone here) and the heap. */
    private static final class PoolSampler extends Thread {
        volatile long peakPool;
        volatile long peakHeap;
        private volatile boolean running = true;

        PoolSampler() {
            super("pool-sampler");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                var m = PooledByteBufAllocator.DEFAULT.metric();
                peakPool = Math.max(peakPool, m.usedDirectMemory() + m.usedHeapMemory());
                peakHeap = Math.max(peakHeap, Resources.heapUsed());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stopSampling() throws InterruptedException {
            running = false;
            join();
        }
    }

    /** Reads one small buffer per millisecond: a client on a slow link. */
    private static final class SlowReader extends ChannelInboundHandlerAdapter {
        private final CountDownLatch done;
        private final AtomicInteger complete;
        private final AtomicLong total;
        private long got;

        SlowReader(CountDownLatch done, AtomicInteger complete, AtomicLong total) {
            this.done = done;
            this.complete = complete;
            this.total = total;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            got += b.readableBytes();
            b.release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> {
                ctx.read();
            }, 1, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            total.addAndGet(got);
            if (got == BYTES_EACH) complete.incrementAndGet();
            done.countDown();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A backend that sends BYTES_EACH as fast as the connection takes them, then closes. */
    private static Channel startSource(TestNetty net, ByteBuf chunk) {
        return new ServerBootstrap().group(net.group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 2048)
                .childOption(ChannelOption.ALLOCATOR, net.alloc)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            private long sent;

                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                pump(ctx);
                            }

                            @Override
                            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                pump(ctx);
                            }

                            private void pump(ChannelHandlerContext ctx) {
                                Channel c = ctx.channel();
                                while (c.isActive() && c.isWritable() && sent < BYTES_EACH) {
                                    int n = (int) Math.min(chunk.readableBytes(), BYTES_EACH - sent);
                                    sent += n;
                                    var f = ctx.writeAndFlush(chunk.retainedSlice(0, n));
                                    if (sent == BYTES_EACH) f.addListener(ChannelFutureListener.CLOSE);
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }
}
