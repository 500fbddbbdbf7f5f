package io.jpen.core.tls;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.engine.Connection;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.HttpBackend;
import io.jpen.core.testing.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** TLS termination on the listener, checked with curl against certificates the test makes. */
@Timeout(60)
class TlsTerminationTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private Engine engine(HttpBackend backend, TlsConfig tls, boolean http) {
        return keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults().withHttp(http)).withTls(tls)));
    }

    /** Runs curl; returns its exit code and output ("CODE OUTPUT"). */
    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() + " " + out;
    }

    private static String resolve(String host, Engine e) {
        return host + ":" + e.port() + ":127.0.0.1";
    }

    @Test
    void curlThroughTlsTerminationReachesThePlainBackendWithForwardedProtoHttps() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = engine(backend, TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key")), true);
        String url = "https://localhost:" + e.port() + "/";
        assertThat(curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", resolve("localhost", e), url, url))
                .isEqualTo("0 web xff=127.0.0.1 proto=https body=0web xff=127.0.0.1 proto=https body=0");
        assertThat(curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", resolve("localhost", e),
                "--tlsv1.2", "--tls-max", "1.2", url)).isEqualTo("0 web xff=127.0.0.1 proto=https body=0");
    }

    @Test
    void withDebugOnAClientThatDoesNotSpeakTlsIsLoggedInWordsWithoutAStackTrace() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = engine(backend, TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key")), false);
        // as `jpen -d` has it (the engines of tests keep the configured levels whatever their debug setting)
        ch.qos.logback.classic.Logger relay = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.jpen.core.engine");
        ch.qos.logback.classic.Level before = relay.getLevel();
        relay.setLevel(ch.qos.logback.classic.Level.TRACE);
        try (io.jpen.core.testing.LogCapture log = new io.jpen.core.testing.LogCapture("io.jpen");
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            plain.setSoTimeout(10_000);
            try {
                assertThat(plain.getInputStream().read()).as("closed").isEqualTo(-1);
            } catch (java.net.SocketException reset) {
                // closed with the request unread: a reset is an end too
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.linesWith("client side failed").isEmpty());
            assertThat(log.linesWith("client side failed")).singleElement().asString()
                    .startsWith("DEBUG connection ").endsWith("client side failed: it did not speak TLS");
            assertThat(log.linesWith("the failure in full")).as("the stack trace is for TRACE").singleElement().asString()
                    .startsWith("TRACE");
        } finally {
            relay.setLevel(before);
        }
    }

    @Test
    void aKeyInsideTheCertificateFileIsFound() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        Path both = dir.resolve("both.pem");
        Files.write(both, (Files.readString(dir.resolve("server.crt")) + Files.readString(dir.resolve("server.key"))).getBytes());
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = engine(backend, TlsConfig.NONE.withCertificate(both), false);
        assertThat(curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", resolve("localhost", e),
                "https://localhost:" + e.port() + "/")).isEqualTo("0 web xff=- proto=- body=0");
    }

    @Test
    void sniPicksEachDomainsOwnCertificate() throws Exception {
        Path sni = Files.createDirectory(dir.resolve("sni"));
        TestCerts.selfSigned(dir, "default", "default.test");
        TestCerts.selfSigned(sni, "a.test", "a.test");
        TestCerts.selfSigned(sni, "b.test", "b.test");
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = engine(backend, TlsConfig.NONE.withCertificate(dir.resolve("default.crt")).withKey(dir.resolve("default.key"))
                .withSniPath(sni), true);
        for (String host : List.of("a.test", "b.test", "default.test")) {
            Path ca = host.equals("default.test") ? dir.resolve("default.crt") : sni.resolve(host + ".crt");
            assertThat(curl("--cacert", ca.toString(), "--resolve", resolve(host, e), "https://" + host + ":" + e.port() + "/"))
                    .as(host).isEqualTo("0 web xff=127.0.0.1 proto=https body=0");
        }
        // b.test's certificate is not trusted for a.test: the server really sent a.test's own.
        assertThat(curl("--cacert", sni.resolve("b.test.crt").toString(), "--resolve", resolve("a.test", e),
                "https://a.test:" + e.port() + "/")).doesNotStartWith("0 ");
    }

    @Test
    void requiringAClientCertificateRejectsClientsWithoutOne() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        TestCerts.caAndClient(dir);
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = engine(backend, TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key"))
                .withCaFile(dir.resolve("ca.crt")).withRequireClientCert(true), false);
        String url = "https://localhost:" + e.port() + "/";
        String without = curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", resolve("localhost", e), url);
        assertThat(without).doesNotStartWith("0 ").doesNotContain("web");
        String with = curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", resolve("localhost", e),
                "--cert", dir.resolve("client.crt").toString(), "--key", dir.resolve("client.key").toString(), url);
        assertThat(with).isEqualTo("0 web xff=- proto=- body=0");
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test
    void aCaDirectoryOfHashedCertificatesIsTrustedToo() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        TestCerts.caAndClient(dir);
        Path cadir = Files.createDirectory(dir.resolve("cadir"));
        Files.copy(dir.resolve("ca.crt"), cadir.resolve("0a1b2c3d.0"));
        Files.writeString(cadir.resolve("README"), "not a certificate");
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = engine(backend, TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key"))
                .withCaDir(cadir).withRequireClientCert(true), false);
        String with = curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", resolve("localhost", e),
                "--cert", dir.resolve("client.crt").toString(), "--key", dir.resolve("client.key").toString(),
                "https://localhost:" + e.port() + "/");
        assertThat(with).isEqualTo("0 web xff=- proto=- body=0");
    }

    @Test
    void aMissingOrBadCertificateIsAClearStartUpError() throws Exception {
        HttpBackend backend = keep(new HttpBackend("web"));
        Path missing = dir.resolve("missing.crt");
        assertThatThrownBy(() -> engine(backend, TlsConfig.NONE.withCertificate(missing), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read certificate " + missing);
        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "hello");
        assertThatThrownBy(() -> engine(backend, TlsConfig.NONE.withCertificate(garbage), false))
                .hasMessageContaining(garbage + " holds no PEM certificate");
        TestCerts.selfSigned(dir, "server", "localhost");
        assertThatThrownBy(() -> engine(backend, TlsConfig.NONE.withCertificate(dir.resolve("server.crt")), false))
                .hasMessageContaining("cannot use key file " + dir.resolve("server.crt"));
    }

    @Test
    void changingTlsAtRunTimeChecksFilesFirstAndKeepsTheOldSetupOnError() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        HttpBackend backend = keep(new HttpBackend("web"));
        TlsConfig good = TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key"));
        Engine e = engine(backend, good, false);
        Reply r = e.execute(state -> {
            state.tls(state.tls().withSniPath(dir.resolve("nope")));
            return Reply.EMPTY;
        });
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).contains("nope is not a directory");
        assertThat(e.tlsConfig()).isEqualTo(good);
        assertThat(curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", resolve("localhost", e),
                "https://localhost:" + e.port() + "/")).isEqualTo("0 web xff=- proto=- body=0");
    }

    @Test
    void onlyTls12AndUpAreOfferedUnlessAskedFor() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        TlsConfig c = TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key"));
        assertThat(Protocols.enabled(c)).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(Protocols.enabled(c.withOption("no_tlsv1.2"))).containsExactly("TLSv1.3");
        assertThat(Protocols.enabled(c.withProtocol("tls1.1"))).containsExactly("TLSv1.1");
        assertThatThrownBy(() -> Protocols.enabled(c.withProtocol("tls1.2").withOption("no_tlsv1.2"))).hasMessageContaining("no TLS protocol");
        assertThatThrownBy(() -> c.withProtocol("ssl3")).hasMessageContaining("SSL 2 and 3 are broken");
        assertThatThrownBy(() -> c.withOption("no_compression")).hasMessageContaining("unknown option 'no_compression'");
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = engine(backend, c.withOption("no_tlsv1.3"), false);
        String url = "https://localhost:" + e.port() + "/";
        assertThat(curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", resolve("localhost", e), "--tlsv1.3", url))
                .doesNotStartWith("0 ");
        assertThat(curl("--cacert", dir.resolve("server.crt").toString(), "--resolve", resolve("localhost", e), url))
                .startsWith("0 web");
    }

    @Test
    void openSslCipherNamesMapToJdkNamesAndClassesAreRefused() {
        assertThat(Ciphers.toJdk("ECDHE-ECDSA-AES128-GCM-SHA256:TLS_AES_256_GCM_SHA384"))
                .containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
        assertThatThrownBy(() -> Ciphers.toJdk("HIGH:!aNULL")).hasMessageContaining("'HIGH' cannot be mapped")
                .hasMessageContaining("cipher classes");
        assertThatThrownBy(() -> Ciphers.toJdk("NOT-A-CIPHER")).hasMessageContaining("'NOT-A-CIPHER'")
                .hasMessageContaining("not supported by this JDK");
    }

    @Test
    void aCipherListLimitsWhatTheServerAccepts() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = engine(backend, TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key"))
                .withOption("no_tlsv1.3").withCiphers("ECDHE-ECDSA-AES256-GCM-SHA384"), false);
        String base = "https://localhost:" + e.port() + "/";
        String ca = dir.resolve("server.crt").toString();
        assertThat(curl("--cacert", ca, "--resolve", resolve("localhost", e), "--ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384", base))
                .startsWith("0 web");
        assertThat(curl("--cacert", ca, "--resolve", resolve("localhost", e), "--ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256", base))
                .doesNotStartWith("0 ");
    }

    @Test
    void aServerThatSpeaksFirstAndClosesBeforeTheHandshakeEndsStillReachesTheTlsClient() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        Backend greeter = keep(Backend.named("hello"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", greeter.port())), Settings.defaults())
                .withTls(TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key")))));
        Socket plain = keep(new Socket(InetAddress.getLoopbackAddress(), e.port()));
        plain.setSoTimeout(10_000);
        // The server's greeting and its end reach jpen before the client starts its handshake. Passing the end on
        // then (close_notify) would abort the handshake, and the greeting would be lost.
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connectionList().stream()
                .anyMatch(c -> c.state() == Connection.State.HALF_CLOSED));
        SSLSocket tls = (SSLSocket) TestCerts.trusting(dir.resolve("server.crt")).getSocketFactory()
                .createSocket(plain, "localhost", e.port(), true);
        tls.startHandshake();
        assertThat(new String(tls.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
    }
}
