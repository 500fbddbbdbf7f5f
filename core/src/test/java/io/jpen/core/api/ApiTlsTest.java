package io.jpen.core.api;

import io.jpen.core.api.client.ApiClient;
import io.jpen.core.api.client.RemoteConsole;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.TestCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The API over TLS with a PEM certificate and key. */
@Timeout(60)
class ApiTlsTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    /** A self-signed certificate for 127.0.0.1 as api.crt and its key as api.key (PKCS#8 PEM). */
    private Path[] selfSigned() {
        TestCerts.selfSigned(dir, "api", "localhost");
        return new Path[]{dir.resolve("api.crt"), dir.resolve("api.key")};
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
