package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A jpen that runs out of file descriptors (its limit lowered with prlimit) is short itself; its servers are fine. Before, the
 * failed socket() counted as the server's failure: every server was blacklisted, and clients were refused for the
 * blacklist time after the shortage was over. Now the client that meets the shortage is refused, the log says so
 * once per 10 s, and new clients are served as soon as descriptors are free again.
 */
@Timeout(180)
class DescriptorShortageTest {
    private static final int PAIRS = 40;
    private static final java.util.regex.Pattern REFUSED =
            java.util.regex.Pattern.compile("Too many open files in jpen itself, not at a server: [1-9][0-9]* clients refused");

    @TempDir
    Path dir;

    @Test
    void clientsAreServedTwoSecondsAfterTheDescriptorsRanOutAndNoServerWasBlacklisted() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/prlimit"))).as("prlimit (util-linux)").isTrue();
        try (ThreadPerConnection backend = holdingServer()) {
            int listen = JpenProcess.freePort();
            try (JpenProcess jpen = JpenProcess.start(dir, "-f", "-b", "30", "127.0.0.1:" + listen, "127.0.0.1:" + backend.port())) {
                await().atMost(60, TimeUnit.SECONDS).until(() -> !jpen.process().isAlive() || "backend".equals(greeting(listen)));
                assertThat(jpen.process().isAlive()).as(jpen.output()).isTrue();
                // Room for PAIRS client/server pairs: the next client finds no descriptor, for its accept or (with one
                // descriptor more, the second step) for its server connection, the case that blacklisted servers.
                long open;
                try (var fds = Files.list(Path.of("/proc", Long.toString(jpen.pid()), "fd"))) {
                    open = fds.count();
                }
                limitDescriptors(jpen, open + 2L * PAIRS);
                List<Socket> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < PAIRS + 20; i++) {
                        Socket s = new Socket();
                        clients.add(s);
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listen), 5_000);
                    }
                    await().atMost(60, TimeUnit.SECONDS).until(() -> jpen.output().contains("Too many open files"));
                    limitDescriptors(jpen, open + 2L * PAIRS + 1);
                    await().atMost(60, TimeUnit.SECONDS).until(() -> REFUSED.matcher(jpen.output()).find());
                } finally {
                    for (Socket s : clients) s.close();
                }
                Thread.sleep(2_000); // the moment to check: 2 s after the shortage ended, not a wait for something
                for (int i = 0; i < 5; i++) {
                    assertThat(greeting(listen)).as("client %d after the shortage; jpen said:%n%s", i, jpen.output()).isEqualTo("backend");
                }
                String log = jpen.output();
                log.lines().filter(l -> l.contains("jpen itself")).forEach(System.out::println);
                assertThat(log).doesNotContain("server 0 (").doesNotContain("Exception");
            }
        }
    }

    private static void limitDescriptors(JpenProcess jpen, long limit) throws Exception {
        Process prlimit = new ProcessBuilder("/usr/bin/prlimit", "--pid", Long.toString(jpen.pid()),
                "--nofile=" + limit + ":").inheritIO().start(); // the soft limit: raising it again needs no privilege
        assertThat(prlimit.waitFor()).isZero();
    }

    /** The first line a client gets through jpen, or what went wrong. */
    private static String greeting(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            StringBuilder line = new StringBuilder();
            InputStream in = s.getInputStream();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) line.append((char) c);
            return line.toString();
        } catch (IOException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Greets each connection with "backend" and keeps it open until the client closes. */
    private static ThreadPerConnection holdingServer() throws IOException {
        return new ThreadPerConnection("holding-server", s -> {
            try (s) {
                OutputStream out = s.getOutputStream();
                out.write("backend\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                while (in.read() >= 0) {
                    // held until the client (through jpen) closes
                }
            } catch (IOException ignored) {
                // the connection ended
            }
        });
    }
}
