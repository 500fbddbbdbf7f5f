package io.jpen.headless;

import com.sun.net.httpserver.HttpServer;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.CertificateBuilder.KeyUsage;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The jpen command itself with -U, and with -H -E -K (HTTPS in front of plain HTTP), over real sockets. */
@Timeout(90)
class JpenProtocolsTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Process jpen;

    @AfterEach
    void stop() throws Exception {
        if (jpen != null) {
            jpen.destroy();
            if (!jpen.waitFor(20, TimeUnit.SECONDS)) jpen.destroyForcibly();
        }
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    private static int freePort() throws IOException {
        return io.jpen.core.testing.FreePorts.tcp();
    }

    /** Starts jpen with {@code args} and waits until it logs that it listens. */
    private void startJpen(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.jpen.headless.Jpen"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("jpen.log");
        jpen = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(30, TimeUnit.SECONDS).until(() -> Files.readString(log).contains("listening on") || !jpen.isAlive());
        assertThat(jpen.isAlive()).as(Files.readString(log)).isTrue();
    }

    /** A UDP server on loopback that answers every datagram with "NAME:" and the datagram. */
    private int udpNamer(String name) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        resources.add(s);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    byte[] r = (name + ":" + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    s.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }, "udp-" + name);
        t.setDaemon(true);
        t.start();
        return s.getLocalPort();
    }

    @Test
    void jpenDashUBalancesDatagramStreamsRoundRobin() throws Exception {
        int a = udpNamer("a");
        int b = udpNamer("b");
        int port = freePort();
        startJpen("-U", "-r", "127.0.0.1:" + port, "127.0.0.1:" + a, "127.0.0.1:" + b);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (DatagramSocket c = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                c.setSoTimeout(5_000);
                byte[] q = ("q" + i).getBytes(StandardCharsets.UTF_8);
                c.send(new DatagramPacket(q, q.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                DatagramPacket r = new DatagramPacket(new byte[100], 100);
                c.receive(r);
                assertThat(r.getPort()).isEqualTo(port);
                seen.add(new String(r.getData(), 0, r.getLength(), StandardCharsets.UTF_8));
            }
        }
        for (int i = 0; i < seen.size(); i++) assertThat(seen.get(i)).matches("[ab]:q" + i);
        for (int i = 1; i < seen.size(); i++) assertThat(seen.get(i).charAt(0)).isNotEqualTo(seen.get(i - 1).charAt(0));
    }

    @Test
    void jpenWithDashHDashEDashKTerminatesTlsAndAddsForwardingHeaders() throws Exception {
        // Self-signed and its own CA, as openssl req -x509 makes it, so curl trusts it with --cacert alone.
        X509Bundle site = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost").ecp256()
                .setIsCertificateAuthority(true).setKeyUsage(true, KeyUsage.digitalSignature, KeyUsage.keyCertSign)
                .buildSelfSigned();
        Files.writeString(dir.resolve("site.crt"), site.getCertificatePEM());
        Files.writeString(dir.resolve("site.key"), site.getPrivateKeyPEM());
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        web.createContext("/", ex -> {
            byte[] body = (ex.getRequestHeaders().getFirst("X-Forwarded-For") + " "
                    + ex.getRequestHeaders().getFirst("X-Forwarded-Proto")).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        web.start();
        resources.add(() -> web.stop(0));
        int port = freePort();
        startJpen("-H", "-E", dir.resolve("site.crt").toString(), "-K", dir.resolve("site.key").toString(),
                "127.0.0.1:" + port, "127.0.0.1:" + web.getAddress().getPort());
        String url = "https://localhost:" + port + "/";
        String out = run(dir, "curl", "-sS", "--max-time", "10", "--cacert", dir.resolve("site.crt").toString(),
                "--resolve", "localhost:" + port + ":127.0.0.1", url, url);
        assertThat(out).isEqualTo("127.0.0.1 https127.0.0.1 https");
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
