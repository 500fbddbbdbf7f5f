package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import io.jpen.core.testing.TestCerts;
import io.jpen.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine's events about failures are sentences an operator reads: the cause in words, no Java class name. */
@Timeout(60)
class FailureWordsTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private static void noClassNames(String said) {
        assertThat(said).doesNotContain("java.").doesNotContain("Exception").doesNotContain("io.netty").doesNotContain("$");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL"})
    void aServerThatRefusesIsReportedAsConnectionRefusedByItsAddress(Transport transport) throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Backend live = keep(Backend.named("live"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", live.port()), ServerSpec.of("127.0.0.1", dead)),
                Settings.defaults().withRoundrobin(true)).withTransport(transport)));
        for (int i = 0; i < 2; i++) assertThat(fetch(e.port())).isEqualTo("live"); // one of them tries server 1 first
        await().until(() -> e.events().recent().stream().anyMatch(ev -> ev.kind().equals("server-failed")));
        String said = e.events().recent().stream().filter(ev -> ev.kind().equals("server-failed")).findFirst().orElseThrow().message();
        assertThat(said).isEqualTo("server 1 (127.0.0.1:" + dead + ") failed: connection refused; not tried again for 30 s");
        noClassNames(said);
    }

    @Test
    void aClientThatDoesNotSpeakTlsToATlsListenerIsReportedInWords(@TempDir Path dir) throws IOException {
        TestCerts.selfSigned(dir, "server", "localhost");
        Backend live = keep(Backend.named("live"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", live.port())), Settings.defaults())
                .withTls(TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key")))));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            s.getInputStream().transferTo(OutputStream.nullOutputStream()); // jpen closes it
        }
        await().until(() -> e.events().recent().stream().anyMatch(ev -> ev.kind().equals("tls")));
        String said = e.events().recent().stream().filter(ev -> ev.kind().equals("tls")).findFirst().orElseThrow().message();
        assertThat(said).isEqualTo("handshake with 127.0.0.1 failed: it did not speak TLS");
        noClassNames(said);
    }
}
