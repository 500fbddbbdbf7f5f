package io.jpen.core.engine;

import io.jpen.core.model.Reply;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.FastClose;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every mode can be switched on and off while traffic flows, and no established connection notices. */
@Timeout(60)
class ModeTogglingTest {
    private static final int STREAMS = 6;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    private <T extends AutoCloseable> T keep(T r) {
        resources.add(r);
        return r;
    }

    @AfterEach
    void closeAll() throws Exception {
        stop.set(true);
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    /** A client that keeps echoing random chunks through jpen and checks every byte that comes back. */
    private final class Stream implements Runnable {
        final Socket socket;
        final AtomicLong roundTrips = new AtomicLong();
        final Thread thread;

        Stream(int port, int seed) throws IOException {
            socket = keep(new Socket(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout(10_000);
            thread = new Thread(this, "stream-" + seed);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            Random random = new Random(thread.getName().hashCode());
            try {
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                while (!stop.get()) {
                    byte[] chunk = new byte[1 + random.nextInt(32 * 1024)];
                    random.nextBytes(chunk);
                    out.write(chunk);
                    byte[] back = in.readNBytes(chunk.length);
                    if (!Arrays.equals(chunk, back)) throw new AssertionError(thread.getName() + ": echo differs");
                    roundTrips.incrementAndGet();
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        }
    }

    private static void change(Engine e, UnaryOperator<Settings> f) {
        assertThat(e.execute(state -> {
            state.settings(f.apply(state.settings()));
            return Reply.EMPTY;
        }).ok()).isTrue();
    }

    private static String dummyAnswer(Engine e) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static void echoesOnce(Engine e) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
    }

    @Test
    void togglingEveryModeWhileTrafficFlowsBreaksNoEstablishedConnection() throws Exception {
        Backend echo = keep(Backend.echo("echo"));
        Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", echo.port())), Settings.defaults()).withHousekeepingMillis(20));
        e.start();
        keep(e);
        List<Stream> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) streams.add(new Stream(e.port(), i));
        streams.forEach(s -> s.thread.start());
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.stream().allMatch(s -> s.roundTrips.get() > 0));

        for (int round = 0; round < 3; round++) {
            change(e, s -> s.withDummy(true));
            assertThat(dummyAnswer(e)).startsWith("HTTP/1.1 200 OK");
            change(e, s -> s.withDummy(false));
            echoesOnce(e);

            change(e, s -> s.withIdlers(3));
            await().atMost(Duration.ofSeconds(10)).until(() -> e.idlersOpen() == 3);
            change(e, s -> s.withIdlers(0));
            await().atMost(Duration.ofSeconds(10)).until(() -> e.idlersOpen() == 0);

            for (FastClose fc : FastClose.values()) change(e, s -> s.withFastClose(fc));
            change(e, s -> s.withIdleTimeoutSeconds(30));
            change(e, s -> s.withIdleTimeoutSeconds(0));
            change(e, s -> s.withKeepalive(true).withTcpNodelay(true));
            echoesOnce(e);
            change(e, s -> s.withKeepalive(false).withTcpNodelay(false));
            change(e, s -> s.withPendingMax(1));
            echoesOnce(e);
            change(e, s -> s.withPendingMax(100));
            change(e, s -> s.withConnMax(1)); // far below the open streams: only new clients are refused
            change(e, s -> s.withConnMax(Settings.DEFAULT_CONN_MAX));
            change(e, s -> s.withClientsMax(1));
            change(e, s -> s.withClientsMax(2048));
            assertThat(errors).isEmpty();
        }

        // Every stream is still echoing after all that.
        long[] before = streams.stream().mapToLong(s -> s.roundTrips.get()).toArray();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < STREAMS; i++) if (streams.get(i).roundTrips.get() <= before[i]) return false;
            return true;
        });
        stop.set(true);
        for (Stream s : streams) s.thread.join(10_000);
        assertThat(errors).isEmpty();
        assertThat(e.connections().size()).isEqualTo(STREAMS);
        // And each still ends cleanly: half-close, the echo server's EOF comes back.
        for (Stream s : streams) {
            s.socket.shutdownOutput();
            assertThat(s.socket.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
    }
}
