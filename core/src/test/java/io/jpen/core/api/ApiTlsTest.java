package io.jpen.core.api;

import io.jpen.core.console.RemoteConsole;
import io.jpen.core.testing.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The API over TLS with a PEM certificate and key, made here with the JDK's keytool. */
@Timeout(60)
class ApiTlsTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    /** A self-signed certificate for 127.0.0.1 as cert.pem and key.pem (PKCS#8). */
    private Path[] selfSigned() throws Exception {
        Path p12 = dir.resolve("api.p12");
        Process k = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(k.getInputStream().readAllBytes());
        assertThat(k.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        Key key = ks.getKey("api", "changeit".toCharArray());
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n"
                + b64.encodeToString(ks.getCertificate("api").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Path keyPem = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + b64.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return new Path[]{cert, keyPem};
    }

    @Test
    void theApiServesHttpsAndTheRemoteConsoleAttachesOverIt() throws Exception {
        Path[] pem = selfSigned();
        Backend a = new Backend("a", Backend.Mode.NAME);
        resources.add(a);
        ApiFixture f = new ApiFixture(c -> c.withTls(ApiTls.server(pem[0], pem[1])), a);
        resources.add(f);
        assertThat(f.api.uri().getScheme()).isEqualTo("https");
        SSLContext trust = ApiTls.trusting(pem[0]);

        assertThat(ApiClient.command(f.api.uri(), ApiFixture.TOKEN, "blacklist 12", trust).ok()).isTrue();
        assertThat(f.engine.settings().blacklistSeconds()).isEqualTo(12);
        assertThatThrownBy(() -> ApiClient.command(f.api.uri(), "wrong", "blacklist 1", trust)).hasMessageContaining("401");
        assertThatThrownBy(() -> ApiClient.command(f.api.uri(), ApiFixture.TOKEN, "blacklist 1"))
                .as("the JDK's default trust does not know a self-signed certificate")
                .isInstanceOf(java.io.IOException.class);

        RemoteConsole remote = new RemoteConsole(f.api.uri(), ApiFixture.TOKEN, trust);
        resources.add(remote);
        await().atMost(Duration.ofSeconds(15)).until(() -> remote.connected() && remote.latest().settings().blacklistSeconds() == 12);
    }

    @Test
    void aMissingOrWrongCertificateIsNamed() throws Exception {
        Path[] pem = selfSigned();
        assertThatThrownBy(() -> ApiTls.server(dir.resolve("nope.pem"), pem[1])).hasMessageContaining("nope.pem");
        assertThatThrownBy(() -> ApiTls.server(pem[1], pem[0])).hasMessageContaining("cannot use TLS certificate");
    }
}
