package io.jpen.core.control;

import io.jpen.core.engine.Engine;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code write} saves ACLs, client/control ACL choice, source, transparent and TLS, and loading it recreates them. */
@Timeout(30)
class WriteAccessAndTlsTest {
    @TempDir
    Path dir;

    @Test
    void writeThenLoadRecreatesAclsUpstreamAndTls() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        String written;
        try (Engine e = Engines.start(nativeTransport())) {
            for (String c : List.of("acl 1 deny 127.0.0.2", "acl 1 permit 127.0.0.0 255.0.0.0", "acl 4 deny ::1/128",
                    "client_acl 1", "control_acl 4", "source 127.0.0.1", "transparent", "ssl_option no_tlsv1.2",
                    "ssl_key " + dir.resolve("server.key"), "ssl_certificate " + dir.resolve("server.crt"))) {
                assertThat(Engines.penctl(e).execute(c).ok()).as(c).isTrue();
            }
            Path file = dir.resolve("saved.pen");
            assertThat(Engines.penctl(e).execute("write " + file).ok()).isTrue();
            written = Files.readString(file);
            assertThat(written).contains("no acl 0\n", "acl 1 deny 127.0.0.2 255.255.255.255\nacl 1 permit 127.0.0.0 255.0.0.0\n",
                    "acl 4 deny ::1/128\n", "client_acl 1\n", "control_acl 4\n", "source 127.0.0.1\n", "\ntransparent\n",
                    "ssl_option no_tlsv1.2\nssl_key " + dir.resolve("server.key") + "\nssl_certificate " + dir.resolve("server.crt") + "\n");
        }
        try (Engine fresh = Engines.start(nativeTransport())) {
            Path file = dir.resolve("saved.pen");
            // The saved listen port belonged to the closed engine; load everything but that line.
            Path copy = dir.resolve("copy.pen");
            Files.writeString(copy, written.replaceAll("(?m)^listen .*\n", ""));
            assertThat(Engines.penctl(fresh).load(copy).ok()).isTrue();
            assertThat(fresh.acls().commands()).contains("acl 1 deny 127.0.0.2 255.255.255.255", "acl 4 deny ::1/128");
            assertThat(fresh.settings().clientAcl()).isEqualTo(1);
            assertThat(fresh.settings().controlAcl()).isEqualTo(4);
            assertThat(fresh.upstream().transparent()).isTrue();
            assertThat(fresh.tlsConfig().enabled()).isTrue();
            Path again = dir.resolve("again.pen");
            Engines.penctl(fresh).execute("write " + again);
            assertThat(Files.readString(again).replaceAll("(?m)^listen .*\n", ""))
                    .isEqualTo(written.replaceAll("(?m)^listen .*\n", ""));
            assertThat(file).exists();
        }
    }

    /** transparent needs a native transport (epoll or io_uring), whatever the default is. */
    private static io.jpen.core.engine.EngineOptions nativeTransport() {
        return io.jpen.core.engine.EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0), List.of(),
                io.jpen.core.model.Settings.defaults()).withTransport(io.jpen.core.engine.Transport.EPOLL);
    }

    @Test
    void aFreshEngineWritesTlsAndUpstreamAsOff() throws Exception {
        try (Engine e = Engines.start(s -> s)) {
            Path file = dir.resolve("w.pen");
            Engines.penctl(e).execute("write " + file);
            assertThat(Files.readString(file)).contains("no source\n", "no transparent\n", "no ssl\n", "no acl 9\n",
                    "client_acl 0\n", "control_acl 0\n").doesNotContain("ssl_certificate");
        }
    }
}
