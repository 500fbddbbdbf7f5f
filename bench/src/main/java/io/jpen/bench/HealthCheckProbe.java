package io.jpen.bench;

import io.jpen.core.control.Penctl;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What active health checks cost: jpen in front of 200 loopback servers (HTTP health page plus echo, in this
 * process on a thread of their own), first without checks, then with {@code check http /healthz} on every server at
 * {@code health_interval 1}. For each phase it prints the CPU of jpen's event loops (from /proc, as a share of one
 * core) and the round trip of a small echo through the relay every 10 ms, the latency probe that shows whether
 * checks hold up the relay. Run: {@code bench/health.sh [servers] [seconds]}.
 */
public final class HealthCheckProbe {
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private HealthCheckProbe() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        EventLoopGroup backendLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-backend"),
                NioIoHandler.newFactory());
        List<Channel> backends = new ArrayList<>();
        List<ServerSpec> specs = new ArrayList<>();
        try {
            ServerBootstrap b = new ServerBootstrap().group(backendLoop).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HealthOrEcho());
                        }
                    });
            for (int i = 0; i < count; i++) {
                Channel c = b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
                backends.add(c);
                specs.add(ServerSpec.of("127.0.0.1", ((InetSocketAddress) c.localAddress()).getPort()));
            }
            try (Engine engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), specs,
                    Settings.defaults().withRoundrobin(true)))) {
                engine.start();
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
                    probe.setTcpNoDelay(true);
                    probe.setSoTimeout(10_000);
                    phase(engine, probe, 3, "warm-up"); // JIT and first connections, not reported
                    String without = phase(engine, probe, seconds, "without checks");
                    run(engine, "health_interval 1");
                    for (int i = 0; i < count; i++) run(engine, "server " + i + " check http /healthz");
                    long probesBefore = engine.healthProbes();
                    Thread.sleep(2000); // every server has had its first check
                    String with = phase(engine, probe, seconds, "with checks");
                    long probes = engine.healthProbes() - probesBefore;
                    long down = engine.servers().stream().filter(s -> !s.inRotation(engine.clock().millis())).count();
                    System.out.println("HealthCheckProbe: " + count + " servers, health_interval 1, " + seconds + " s per phase, "
                            + Runtime.getRuntime().availableProcessors() + " cores");
                    System.out.println("  " + without);
                    System.out.println("  " + with);
                    System.out.printf(Locale.ROOT, "  checks: %.0f per second, %d servers not up at the end%n",
                            probes / (seconds + 2.0), down);
                }
            }
        } finally {
            for (Channel c : backends) c.close();
            backendLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    private static void run(Engine e, String line) {
        Reply r = new Penctl(e).execute(line);
        if (!r.ok()) throw new IllegalStateException(line + ": " + r.text());
    }

    /** Echoes 64 bytes every 10 ms for {@code seconds}; the relay's CPU and the round trips over that time. */
    private static String phase(Engine engine, Socket probe, int seconds, String name) throws Exception {
        OutputStream out = probe.getOutputStream();
        InputStream in = probe.getInputStream();
        byte[] msg = new byte[64];
        Arrays.fill(msg, (byte) 'x');
        byte[] back = new byte[64];
        List<Long> rtt = new ArrayList<>();
        Map<String, Double> cpu0 = ThreadCpu.byKind();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long t = System.nanoTime();
            out.write(msg);
            out.flush();
            int n = 0;
            while (n < back.length) {
                int r = in.read(back, n, back.length - n);
                if (r < 0) throw new IllegalStateException("the echo ended");
                n += r;
            }
            rtt.add(System.nanoTime() - t);
            Thread.sleep(10);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cpu1 = ThreadCpu.byKind();
        double relay = cpu1.getOrDefault("relay", 0.0) - cpu0.getOrDefault("relay", 0.0);
        long[] sorted = rtt.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%-15s jpen-io CPU %.2f %% of one core; echo round trip through the relay "
                        + "p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d samples)", name + ":", 100 * relay / wall,
                pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6, sorted.length);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }

    /** A health page for {@code GET}, an echo for anything else. */
    private static final class HealthOrEcho extends ChannelInboundHandlerAdapter {
        private boolean first = true;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            if (first && b.readableBytes() >= 4 && b.toString(b.readerIndex(), 4, StandardCharsets.US_ASCII).equals("GET ")) {
                b.release();
                ctx.writeAndFlush(Unpooled.wrappedBuffer(OK)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            first = false;
            ctx.writeAndFlush(b);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
