package io.jpen.core.reliability;

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
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.TestCerts;
import io.jpen.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nobody let in: what a default jpen exposes, to whom, and what it never shows. */
@Timeout(60)
class SecurityTest {
    private static final String TOKEN = "s3cr3t-token-for-security-test-0123456789";

    @TempDir
    Path dir;

    @Test
    void theControlPortWithoutAnAddressListensOnLoopbackOnly() {
        try (Engine e = Engines.start(s -> s);
             ControlServer control = ControlServer.start(Engines.penctl(e), new Endpoint.Tcp(null, 0))) {
            Endpoint.Tcp bound = (Endpoint.Tcp) control.boundEndpoint();
            assertThat(bound.host()).isIn("127.0.0.1", "::1");
        }
    }

    @Test
    void theApiWithoutAnAddressListensOnLoopbackOnly() {
        assertThat(ApiConfig.parseBind("9090").getAddress().isLoopbackAddress()).isTrue();
        assertThat(ApiConfig.of(0, ApiToken.of(TOKEN)).bind().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void aCreatedTokenFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("token");
        String token = ApiToken.loadOrCreate(file);
        assertThat(token).isNotBlank();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void theApiRefusesEveryRequestWithoutTheRightTokenAndNeverShowsTheToken() throws Exception {
        try (Backend b = Backend.named("b"); Engine e = Engines.start(s -> s, b);
             LocalConsole console = new LocalConsole(Engines.penctl(e), Duration.ofMillis(50), 100);
             ApiServer api = new ApiServer(console, ApiConfig.of(0, ApiToken.of(TOKEN))).start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String before = e.settings().toString();
            for (String auth : new String[]{null, "Bearer wrong", "Bearer " + TOKEN + "x", "Basic " + TOKEN, "Bearer"}) {
                for (String[] call : List.of(new String[]{"GET", "snapshot"}, new String[]{"GET", "stream"},
                        new String[]{"POST", "command"}, new String[]{"GET", "nothing-here"}, new String[]{"GET", "../metrics"})) {
                    HttpRequest.Builder r = HttpRequest.newBuilder(api.uri().resolve("/api/v1/" + call[1]))
                            .timeout(Duration.ofSeconds(10))
                            .method(call[0], call[0].equals("POST")
                                    ? HttpRequest.BodyPublishers.ofString("{\"command\":\"conn_max 1\"}")
                                    : HttpRequest.BodyPublishers.noBody());
                    if (auth != null) r.header("Authorization", auth);
                    HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(resp.statusCode()).as("%s %s with %s", call[0], call[1], auth).isEqualTo(401);
                    assertThat(resp.body()).doesNotContain(TOKEN);
                }
            }
            assertThat(e.settings().toString()).as("nothing applied").isEqualTo(before);

            // 503 until the first snapshot, which comes with the first tick.
            HttpResponse<String> snap = await().atMost(java.time.Duration.ofSeconds(10)).until(
                    () -> http.send(HttpRequest.newBuilder(api.uri().resolve("/api/v1/snapshot"))
                            .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()),
                    r -> r.statusCode() != 503);
            assertThat(snap.statusCode()).isEqualTo(200);
            assertThat(snap.body()).doesNotContain(TOKEN);
            assertThat(String.valueOf(console.latest())).doesNotContain(TOKEN);
            assertThat(e.events().recent()).noneMatch(ev -> ev.message().contains(TOKEN));
            assertThat(String.valueOf(api)).doesNotContain(TOKEN);
        }
    }

    @Test
    void tlsTerminationRefusesProtocolsOlderThanTls12() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        try (Backend b = Backend.named("plain");
             Engine e = Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                     List.of(ServerSpec.of("127.0.0.1", b.port())), Settings.defaults())
                     .withTls(TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key"))))) {
            // openssl, not Java: the JDK's client would refuse TLS 1.0/1.1 itself and prove nothing about jpen.
            String tls12 = handshake(e.port(), "-tls1_2");
            assertThat(completed(tls12)).as("TLS 1.2 is accepted; openssl said:%n%s", tls12).isTrue();
            String tls11 = handshake(e.port(), "-tls1_1");
            assertThat(completed(tls11)).as("TLS 1.1 is refused; openssl said:%n%s", tls11).isFalse();
            String tls10 = handshake(e.port(), "-tls1");
            assertThat(completed(tls10)).as("TLS 1.0 is refused; openssl said:%n%s", tls10).isFalse();
        }
    }

    /** What openssl s_client says when it tries a handshake with only {@code version} offered (cipher floor lowered). */
    private static String handshake(int port, String version) throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, version,
                "-cipher", "DEFAULT:@SECLEVEL=0", "-servername", "localhost")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static boolean completed(String opensslOutput) {
        return opensslOutput.contains("Cipher is ") && !opensslOutput.contains("Cipher is (NONE)");
    }

    static boolean loopback(InetAddress a) {
        return a.isLoopbackAddress();
    }
}
