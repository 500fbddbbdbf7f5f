package io.jpen.headless;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
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
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code -l host:port}: jpen sends its log to Debian's penlogd over UDP in Pen's network format, and penlogd writes
 * the server's own log line (sent by penlog) with the real client's address in it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JpenPenlogdTest {
    private static final Path PENLOGD = Path.of("/usr/bin/penlogd");
    private static final Path PENLOG = Path.of("/usr/bin/penlog");

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private HttpServer web;
    /** A file jpen must not create (named like the address), removed should it appear. */
    private Path wrongFile;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        if (web != null) web.stop(0);
        if (wrongFile != null) Files.deleteIfExists(wrongFile);
    }

    @Test
    void penlogdWritesTheServersLogLineWithTheClientAddressJpenSentIt() throws Exception {
        assumeTrue(Files.isExecutable(PENLOGD) && Files.isExecutable(PENLOG),
                "Debian's penlogd and penlog are not installed (apt-get install pen; .ci/run does)");
        // The web server reads the request before it answers, so jpen (which logs each read before passing it on)
        // has sent its datagram to penlogd before the answer reaches the client.
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        web.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
            ex.close();
        });
        web.start();

        Path consolidated = dir.resolve("access_log");
        int penlogdPort = startPenlogd(consolidated);
        int listen = freePort();
        int control = freePort();
        String logTarget = "127.0.0.1:" + penlogdPort;
        wrongFile = Path.of(logTarget);
        Process jpen = start("jpen", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Jpen.class.getName(),
                RootCheck.runningAsRoot() ? "--allow-root-control" : "-f", "--file-dir", dir.toString(),
                "-C", Integer.toString(control), "-l", logTarget, "127.0.0.1:" + listen,
                "127.0.0.1:" + web.getAddress().getPort());
        await().atMost(60, TimeUnit.SECONDS).until(() -> ctl(control, "log") != null || !jpen.isAlive());
        assertThat(jpen.isAlive()).as(output("jpen")).isTrue();
        // The log command and write name the address as given; no file of that name appears.
        assertThat(ctl(control, "log")).isEqualTo(logTarget + "\n");
        Path saved = dir.resolve("saved.conf");
        assertThat(ctl(control, "write", saved.toString())).isEmpty();
        assertThat(Files.readString(saved)).contains("\nlog " + logTarget + "\n");
        assertThat(Files.exists(wrongFile)).isFalse();

        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.7"), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listen), 5_000);
            s.getOutputStream().write("GET /consolidated HTTP/1.0\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).endsWith("ok");
        }
        // The web server's own line, as Apache's common log format writes it, sent from the server's address.
        Process penlog = start("penlog", PENLOG.toString(), "127.0.0.1", Integer.toString(penlogdPort), "127.0.0.1");
        penlog.getOutputStream().write(("127.0.0.1 - - [06/Dec/2026:10:00:00 +0000] \"GET /consolidated HTTP/1.0\" 200 2\n")
                .getBytes(StandardCharsets.US_ASCII));
        penlog.getOutputStream().close();
        assertThat(penlog.waitFor(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(20, TimeUnit.SECONDS).until(() -> Files.exists(consolidated)
                && Files.readString(consolidated).contains("/consolidated"));
        assertThat(Files.readString(consolidated))
                .isEqualTo("127.0.0.7 - - [06/Dec/2026:10:00:00 +0000] \"GET /consolidated HTTP/1.0\" 200 2\n");
    }

    /** Starts penlogd in the foreground, unbuffered, on a free UDP port, and returns the port. */
    private int startPenlogd(Path out) throws Exception {
        for (int attempt = 0; ; attempt++) {
            int port;
            try (DatagramSocket probe = new DatagramSocket(0)) {
                port = probe.getLocalPort();
            }
            Process p = start("penlogd", PENLOGD.toString(), "-f", "-b", "-l", out.toString(), Integer.toString(port));
            // penlogd binds the port (every address) or exits when it cannot.
            await().atMost(10, TimeUnit.SECONDS).until(() -> !p.isAlive() || bound(port));
            if (p.isAlive()) return port;
            if (attempt == 5) throw new AssertionError("penlogd did not start: " + output("penlogd"));
        }
    }

    private static boolean bound(int udpPort) {
        try (DatagramSocket s = new DatagramSocket(udpPort)) {
            return false;
        } catch (java.net.SocketException inUse) {
            return true;
        }
    }

    private Process start(String name, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
        processes.add(p);
        return p;
    }

    private String output(String name) throws IOException {
        Path f = dir.resolve(name + ".out");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private static String ctl(int port, String... command) {
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("127.0.0.1:" + port));
        args.addAll(List.of(command));
        int rc = Jpenctl.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
        return rc == 0 ? out.toString() : null;
    }

    private static int freePort() throws IOException {
        return io.jpen.core.testing.FreePorts.tcp();
    }
}
