package io.jpen.core.engine;

import io.jpen.core.console.Sampler;
import io.jpen.core.model.ConnectionDetail;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.HttpBackend;
import io.jpen.core.testing.Resources;
import io.jpen.core.testing.TestCerts;
import io.jpen.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.jpen.core.testing.Clients.fetch;
import static io.jpen.core.testing.Clients.readUntilTheServerEnds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where time goes and what happened to each connection, over real sockets: connect and first-byte times per server,
 * and each connection's story (why its server, how long, how much, how it ended, its TLS).
 */
@Timeout(60)
class ConnectionStoryTest {
    @RegisterExtension
    final Resources resources = new Resources();

    @TempDir
    Path dir;

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private Engine engine(UnaryOperator<Settings> settings, int... ports) {
        List<ServerSpec> specs = new ArrayList<>();
        for (int p : ports) specs.add(ServerSpec.of("127.0.0.1", p));
        return keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), specs,
                settings.apply(Settings.defaults()))));
    }

    private static ConnectionDetail story(Engine e, int id) {
        await().until(() -> Sampler.detail(e, id) != null && Sampler.detail(e, id).closedMillis() > 0);
        return Sampler.detail(e, id);
    }

    @Test
    void theTimeToConnectToEachServerIsRecordedAndShownAsPercentilesOfTheLastMinute() throws Exception {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Engine e = engine(s -> s.withRoundrobin(true), a.port(), b.port());
        for (int i = 0; i < 4; i++) readUntilTheServerEnds(e.port()); // the server ends each connection
        await().until(() -> e.connections().size() == 0);
        List<ServerView> servers = new Sampler(e, 10, 10).sample().servers();
        for (ServerView v : servers) {
            assertThat(v.connectsLastMinute()).as("connects timed for server " + v.index()).isEqualTo(2);
            assertThat(v.connectP50Millis()).isPositive();
            assertThat(v.connectP99Millis()).isGreaterThanOrEqualTo(v.connectP50Millis());
            assertThat(v.connectBuckets().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
            assertThat(v.connectSecondsSum()).isPositive();
            assertThat(v.firstBytesLastMinute()).as("no HTTP mode, no first-byte times").isZero();
        }
        ConnectionDetail d = story(e, 0);
        assertThat(d.connectMillis()).isGreaterThanOrEqualTo(0);
        assertThat(d.firstByteMillis()).isEqualTo(-1);
        assertThat(d.serverAddress()).startsWith("127.0.0.1:");
        assertThat(d.bytesDown()).isEqualTo(2); // "a\n" or "b\n"
        assertThat(d.closedBy()).isEqualTo("server");
        assertThat(d.timeline()).anyMatch(l -> l.startsWith("connected to 127.0.0.1:") && l.contains(" after "))
                .anyMatch(l -> l.startsWith("closed by server"));
    }

    @Test
    void inHttpModeTheTimeFromTheRequestToTheServersFirstByteIsRecorded() throws Exception {
        HttpBackend web = keep(new HttpBackend("web"));
        Engine e = engine(s -> s.withHttp(true), web.port());
        for (int i = 0; i < 2; i++) {
            try (Socket s = new Socket("127.0.0.1", e.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            }
        }
        ServerView v = new Sampler(e, 10, 10).sample().servers().get(0);
        assertThat(v.firstBytesLastMinute()).isEqualTo(2);
        assertThat(v.firstByteP50Millis()).isPositive();
        assertThat(v.firstByteBuckets().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
        ConnectionDetail d = story(e, 0);
        assertThat(d.firstByteMillis()).isGreaterThanOrEqualTo(0);
        assertThat(d.timeline()).anyMatch(l -> l.startsWith("first byte of the answer after "));
    }

    @Test
    void aReturningClientIsTrackedWhereANewOneGoesRoundRobin() throws Exception {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Engine tracking = engine(s -> s, a.port(), b.port());
        fetch(tracking.port());
        fetch(tracking.port());
        assertThat(story(tracking, 0).choice()).isEqualTo("round robin");
        assertThat(story(tracking, 1).choice()).isEqualTo("tracked: this client went there before");

        Engine roundRobin = engine(s -> s.withRoundrobin(true), a.port(), b.port());
        fetch(roundRobin.port());
        fetch(roundRobin.port());
        assertThat(story(roundRobin, 1).choice()).isEqualTo("round robin");
        Engine hash = engine(s -> s.withHash(true), a.port(), b.port());
        fetch(hash.port());
        assertThat(story(hash, 0).choice()).isEqualTo("hash of the client's address");
    }

    @Test
    void aClientAnOperatorPinnedSaysItWasPinnedEvenInRoundRobin() throws Exception {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Engine roundRobin = engine(s -> s.withRoundrobin(true), a.port(), b.port());
        assertThat(new io.jpen.core.control.Penctl(roundRobin).execute("client 127.0.0.1 pin 1").ok()).isTrue();
        fetch(roundRobin.port());
        ConnectionDetail d = story(roundRobin, 0);
        assertThat(d.choice()).isEqualTo("pinned: an operator pinned this client to it");
    }

    @Test
    void aConnectionThatFailedOverSaysWhichServerFailedAndWhy() throws Exception {
        Backend a = keep(Backend.named("a"));
        int dead;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = gone.getLocalPort();
        }
        // Round robin starts after server 0, so the first client tries the dead server 1 first.
        Engine e = engine(s -> s.withRoundrobin(true), a.port(), dead);
        assertThat(fetch(e.port())).isEqualTo("a");
        ConnectionDetail d = story(e, 0);
        assertThat(d.server()).isZero();
        assertThat(d.choice()).isEqualTo("failover after server 1 failed");
        assertThat(d.failedAttempts()).isEqualTo(1);
        assertThat(d.lastFailure()).contains("refused").doesNotContain("Exception");
        assertThat(d.timeline()).contains("server 0 chosen: failover after server 1 failed");
    }

    @Test
    void whenEveryServerFailsTheEmergencyServerIsChosenAndSaysAfterWhich() throws Exception {
        Backend emergency = keep(Backend.named("emergency"));
        int dead;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = gone.getLocalPort();
        }
        Engine e = engine(s -> s.withEmergency(new io.jpen.core.model.HostPort("127.0.0.1", emergency.port())), dead);
        assertThat(fetch(e.port())).isEqualTo("emergency");
        ConnectionDetail d = story(e, 0);
        assertThat(d.serverName()).isEqualTo("emergency");
        assertThat(d.choice()).isEqualTo("emergency server after server 0 failed");
        assertThat(d.failedAttempts()).isEqualTo(1);
    }

    @Test
    void aConnectionTheClientEndsSaysSoAndCountsItsBytesEachWay() throws Exception {
        Backend echo = keep(Backend.echo("e"));
        Engine e = engine(s -> s, echo.port());
        try (Socket s = new Socket("127.0.0.1", e.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().readNBytes(5)).hasSize(5);
            ConnectionDetail open = Sampler.detail(e, 0);
            assertThat(open.closedMillis()).isZero();
            assertThat(open.closedBy()).isNull();
            assertThat(open.state()).isEqualTo("established");
        }
        ConnectionDetail d = story(e, 0);
        assertThat(d.closedBy()).isEqualTo("client");
        assertThat(d.bytesUp()).isEqualTo(5);
        assertThat(d.bytesDown()).isEqualTo(5);
        assertThat(Sampler.detail(e, 99)).as("no such connection").isNull();
    }

    @Test
    void aClosedConnectionKeptForItsStoryHoldsNeitherOfItsChannels() throws Exception {
        Backend a = keep(Backend.named("a"));
        Engine e = engine(s -> s, a.port());
        assertThat(fetch(e.port())).isEqualTo("a");
        ConnectionDetail d = story(e, 0);
        Connection kept = e.connections().find(0);
        // Channels held by the last closed pairs outlived the young collections: a full collection every few seconds.
        assertThat(kept.down()).isNull();
        assertThat(kept.up()).isNull();
        assertThat(d.serverAddress()).isEqualTo("127.0.0.1:" + a.port());
        assertThat(d.bytesDown()).isEqualTo(2);
        assertThat(d.protocol()).isEqualTo("tcp");
    }

    @Test
    void whereJpenTerminatesTlsTheConnectionShowsProtocolCipherSniAndClientCertificate() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        TestCerts.caAndClient(dir);
        HttpBackend web = keep(new HttpBackend("web"));
        TlsConfig tls = TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key"))
                .withCaFile(dir.resolve("ca.crt")).withRequireClientCert(true);
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", web.port())), Settings.defaults()).withTls(tls)));
        String out = curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", "localhost:" + e.port() + ":127.0.0.1",
                "--cert", dir.resolve("client.crt").toString(), "--key", dir.resolve("client.key").toString(),
                "https://localhost:" + e.port() + "/");
        assertThat(out).startsWith("0 web");
        ConnectionDetail.Tls t = story(e, 0).tls();
        assertThat(t).isNotNull();
        assertThat(t.protocol()).startsWith("TLSv1.");
        assertThat(t.cipher()).startsWith("TLS_");
        assertThat(t.sni()).isEqualTo("localhost");
        assertThat(t.clientSubject()).contains("CN=client");
        assertThat(story(e, 0).timeline()).anyMatch(l -> l.startsWith("TLS TLSv1.") && l.contains("SNI localhost")
                && l.contains("client certificate CN=client"));
    }

    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() + " " + out;
    }
}
