package io.jpen.core.reliability;

import io.jpen.core.control.ControlServer;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Endpoint;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control port under a flood of connections that each send 64 KB without a newline (8,500 of them took jpen's
 * RSS from 75 to 600 MB and the relay's buffer pool to its limit: the port stopped answering and the relay lost
 * connections). Now a connection holds at most one short line, in a small number of connections, for a bounded
 * time, and a client control_acl denies is answered before anything it sent is read.
 */
@Timeout(180)
class ControlPortBoundsTest {
    private static final int FLOOD = 2_000;
    private static final int LINE_BYTES = 64 * 1024;

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void penctlStillAnswersAndTheBufferPoolHardlyGrowsWhile2000ConnectionsSend64KbWithoutANewline() throws Exception {
        Backend b = resources.keep(Backend.echo("b"));
        Engine e = resources.keep(Engines.start(s -> s, b));
        ControlServer control = resources.keep(ControlServer.start(Engines.penctl(e), new Endpoint.Tcp("127.0.0.1", 0), null));
        long before = buffersInUse();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(buffersInUse(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();

        List<SocketChannel> flood = flood(control.port(), "127.0.0.1");
        try {
            // With the flood held open: a penctl gets its answer (awaited: it may be told to try again meanwhile).
            await().atMost(120, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                    .until(() -> send(control.port(), "servers").startsWith("0 addr 127.0.0.1"));
        } finally {
            sampling.set(false);
            sampler.join();
            for (SocketChannel c : flood) c.close();
        }
        long grew = peak.get() - before;
        System.out.printf("control flood: %d connections x %d bytes; Netty's buffers in use grew by %d KiB at most%n",
                FLOOD, LINE_BYTES, grew / 1024);
        assertThat(grew).as("growth of Netty's buffers in use during the flood").isLessThan(16L << 20);
        await().atMost(60, TimeUnit.SECONDS).until(() -> control.connections() == 0);
    }

    @Test
    void aClientControlAclDeniesIsAnsweredAtOnceAndItsFloodTakesNoPlaceFromPermittedOnes() throws Exception {
        Backend b = resources.keep(Backend.echo("b"));
        Engine e = resources.keep(Engines.start(s -> s, b));
        ControlServer control = resources.keep(ControlServer.start(Engines.penctl(e), new Endpoint.Tcp("127.0.0.1", 0),
                (list, address) -> !address.getHostAddress().equals("127.0.0.2")));
        e.execute(state -> {
            state.settings(state.settings().withControlAcl(3));
            return Reply.EMPTY;
        });
        // Denied, it is answered without having sent a byte.
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), control.port()), 5_000);
            s.setSoTimeout(10_000);
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("control access denied by control_acl 3\n");
        }
        List<SocketChannel> flood = flood(control.port(), "127.0.0.2");
        try {
            assertThat(send(control.port(), "servers")).startsWith("0 addr 127.0.0.1");
            assertThat(control.connections()).isLessThanOrEqualTo(1);
        } finally {
            for (SocketChannel c : flood) c.close();
        }
    }

    /** Bytes of buffers in use from the relay's pool and from Netty's default allocator (the control port's). */
    private static long buffersInUse() {
        ByteBufAllocatorMetric pool = PooledByteBufAllocator.DEFAULT.metric();
        ByteBufAllocatorMetric other = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return pool.usedDirectMemory() + pool.usedHeapMemory() + other.usedDirectMemory() + other.usedHeapMemory();
    }

    /** FLOOD connections from {@code from}, each writing LINE_BYTES without a newline as far as jpen lets it. */
    private static List<SocketChannel> flood(int port, String from) throws IOException {
        byte[] line = new byte[LINE_BYTES];
        Arrays.fill(line, (byte) 'x');
        List<SocketChannel> open = new ArrayList<>();
        List<ByteBuffer> left = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            SocketChannel c = SocketChannel.open();
            open.add(c);
            c.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            c.configureBlocking(false);
            left.add(ByteBuffer.wrap(line));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean writing = true;
        while (writing && System.nanoTime() < until) {
            writing = false;
            for (int i = 0; i < open.size(); i++) {
                ByteBuffer b = left.get(i);
                if (!b.hasRemaining()) continue;
                try {
                    open.get(i).write(b);
                    writing |= b.hasRemaining();
                } catch (IOException closedByJpen) {
                    b.position(b.limit());
                }
            }
        }
        return open;
    }

    private static String send(int port, String command) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
