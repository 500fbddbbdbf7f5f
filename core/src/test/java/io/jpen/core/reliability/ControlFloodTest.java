package io.jpen.core.reliability;

import io.jpen.core.testing.Engines;
import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiServer;
import io.jpen.core.api.ApiToken;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.control.ControlServer;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control port and the API flooded (queries, bad lines, unauthenticated requests, half-open connections)
 * while traffic flows: every byte of the traffic still arrives intact, and both ports still answer afterwards.
 */
@Timeout(120)
class ControlFloodTest {
    private static final String TOKEN = "flood-token-0123456789";

    @Test
    void floodingTheControlPortAndTheApiLeavesTrafficIntact() throws Exception {
        try (IntegrityTest.EchoBackend backend = new IntegrityTest.EchoBackend(5);
             Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                     List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults()))) {
            e.start();
            try (ControlServer control = ControlServer.start(Engines.penctl(e), new Endpoint.Tcp("127.0.0.1", 0));
                 LocalConsole console = new LocalConsole(Engines.penctl(e), Duration.ofMillis(50), 100);
                 ApiServer api = new ApiServer(console, ApiConfig.of(0, ApiToken.of(TOKEN))).start()) {
                AtomicBoolean flooding = new AtomicBoolean(true);
                AtomicLong floodRequests = new AtomicLong();
                List<Thread> flood = new ArrayList<>();
                String[] lines = {"servers\n", "mode\n", "recent\n", "status\n", "no such command\n", "server 99 max 1\n",
                        "conn_max -5\n", "x".repeat(5000) + "\n", ""};
                for (int i = 0; i < 4; i++) {
                    int n = i;
                    flood.add(started(() -> {
                        SplittableRandom r = new SplittableRandom(n);
                        while (flooding.get()) {
                            boolean toApi = r.nextBoolean();
                            int port = toApi ? api.address().getPort() : control.port();
                            String msg = toApi
                                    ? (r.nextBoolean() ? "GET /api/v1/snapshot HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                    + TOKEN + "\r\nConnection: close\r\n\r\n" : "GET /api/v1/snapshot HTTP/1.1\r\n\r\n")
                                    : lines[r.nextInt(lines.length)];
                            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                                s.setSoTimeout(300); // a half-open one is given up on quickly: more flood
                                s.getOutputStream().write(msg.getBytes(StandardCharsets.ISO_8859_1));
                                if (r.nextInt(4) > 0) s.shutdownOutput(); // some stay half-open until closed below
                                s.getInputStream().read(new byte[4096]);
                                floodRequests.incrementAndGet();
                            } catch (Exception ignored) {
                                // a refused or reset flood connection is fine; the traffic below is what counts
                            }
                        }
                    }));
                }
                long checked = 0;
                SplittableRandom r = new SplittableRandom(9);
                byte[] noise = new byte[1 << 20];
                r.nextBytes(noise);
                try {
                    for (int i = 0; i < 400 && (i < 40 || floodRequests.get() < 2000); i++) {
                        int size = 1 + r.nextInt(noise.length);
                        assertThat(echo(e.port(), noise, size)).as("stream %d (%d bytes) intact", i, size).isTrue();
                        checked += size;
                    }
                } finally {
                    flooding.set(false);
                    for (Thread t : flood) t.join();
                }
                System.out.printf("flood: %d control/API requests while %d bytes went through intact%n",
                        floodRequests.get(), checked);
                assertThat(floodRequests.get()).isPositive();
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), control.port())) {
                    s.getOutputStream().write("mode\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).contains("roundrobin");
                }
                assertThat(e.settings().connMax()).isEqualTo(Settings.defaults().connMax());
            }
        }
    }

    private static boolean echo(int port, byte[] noise, int size) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            Thread writer = started(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(noise, 0, size);
                    s.shutdownOutput();
                } catch (Exception ignored) {
                    // shows up as a short echo
                }
            });
            InputStream in = s.getInputStream();
            byte[] back = in.readAllBytes();
            writer.join();
            MessageDigest a = IntegrityTest.sha256();
            a.update(noise, 0, size);
            return back.length == size && Arrays.equals(a.digest(), IntegrityTest.sha256().digest(back));
        }
    }

    private static Thread started(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
