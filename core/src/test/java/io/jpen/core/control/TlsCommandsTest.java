package io.jpen.core.control;

import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.TestCerts;
import io.jpen.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class TlsCommandsTest {
    /** Lines as an operator types them, for an engine with nothing around it. */
    private static final CommandParser OPERATOR = new CommandParser(new Daemon(), FileRoots.ANY);
    @TempDir
    Path dir;

    @Test
    void sslCommandsBuildTheConfigurationAndItsCommandsRecreateIt() {
        TestCerts.selfSigned(dir, "server", "localhost");
        try (Engine e = Engines.start(s -> s)) {
            String[] lines = {
                    "ssl_protocol tls1.2", "ssl_option no_tlsv1.1", "ssl_option cipher_server_preference",
                    "ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256", "ssl_key " + dir.resolve("server.key"),
                    "ssl_certificate " + dir.resolve("server.crt")};
            for (String l : lines) assertThat(Engines.penctl(e).execute(l).ok()).as(l).isTrue();
            TlsConfig c = e.tlsConfig();
            assertThat(c.enabled()).isTrue();
            assertThat(c.commands()).containsExactly(lines);
            try (Engine copy = Engines.start(s -> s)) {
                for (String l : c.commands()) Engines.penctl(copy).execute(l);
                assertThat(copy.tlsConfig()).isEqualTo(c);
            }
            Engines.penctl(e).execute("no ssl");
            assertThat(e.tlsConfig().enabled()).isFalse();
        }
    }

    @Test
    void aBadCertificatePathIsRefusedAndChangesNothing() {
        try (Engine e = Engines.start(s -> s)) {
            Reply r = Engines.penctl(e).execute("ssl_certificate " + dir.resolve("none.crt"));
            assertThat(r.ok()).isFalse();
            assertThat(r.text()).contains("cannot read certificate " + dir.resolve("none.crt"));
            assertThat(e.tlsConfig()).isEqualTo(TlsConfig.NONE);
        }
    }

    @Test
    void unknownWordsAreRefusedAtParseTime() {
        assertThatThrownBy(() -> OPERATOR.parse("ssl_option no_tls9")).hasMessageContaining("unknown option 'no_tls9'");
        assertThatThrownBy(() -> OPERATOR.parse("ssl_ciphers HIGH:!aNULL")).hasMessageContaining("'HIGH' cannot be mapped");
        assertThatThrownBy(() -> OPERATOR.parse("ssl_protocol ssl3")).hasMessageContaining("SSL 2 and 3");
        assertThatThrownBy(() -> OPERATOR.parse("ssl_sni_path")).hasMessageContaining("takes one argument");
        assertThatThrownBy(() -> OPERATOR.parse("no ssl_bogus")).hasMessageContaining("ignoring command");
    }
}
