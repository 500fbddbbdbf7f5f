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
            for (String l : lines) assertThat(e.execute(CommandParser.parse(l)).ok()).as(l).isTrue();
            TlsConfig c = e.tlsConfig();
            assertThat(c.enabled()).isTrue();
            assertThat(c.commands()).containsExactly(lines);
            try (Engine copy = Engines.start(s -> s)) {
                for (String l : c.commands()) copy.execute(CommandParser.parse(l));
                assertThat(copy.tlsConfig()).isEqualTo(c);
            }
            e.execute(CommandParser.parse("no ssl"));
            assertThat(e.tlsConfig().enabled()).isFalse();
        }
    }

    @Test
    void aBadCertificatePathIsRefusedAndChangesNothing() {
        try (Engine e = Engines.start(s -> s)) {
            Reply r = e.execute(CommandParser.parse("ssl_certificate " + dir.resolve("none.crt")));
            assertThat(r.ok()).isFalse();
            assertThat(r.text()).contains("cannot read certificate " + dir.resolve("none.crt"));
            assertThat(e.tlsConfig()).isEqualTo(TlsConfig.NONE);
        }
    }

    @Test
    void unknownWordsAreRefusedAtParseTime() {
        assertThatThrownBy(() -> CommandParser.parse("ssl_option no_tls9")).hasMessageContaining("unknown option 'no_tls9'");
        assertThatThrownBy(() -> CommandParser.parse("ssl_ciphers HIGH:!aNULL")).hasMessageContaining("'HIGH' cannot be mapped");
        assertThatThrownBy(() -> CommandParser.parse("ssl_protocol ssl3")).hasMessageContaining("SSL 2 and 3");
        assertThatThrownBy(() -> CommandParser.parse("ssl_sni_path")).hasMessageContaining("takes one argument");
        assertThatThrownBy(() -> CommandParser.parse("no ssl_bogus")).hasMessageContaining("ignoring command");
    }
}
