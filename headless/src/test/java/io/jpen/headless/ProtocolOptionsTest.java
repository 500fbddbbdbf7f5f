package io.jpen.headless;

import io.jpen.core.engine.EngineOptions;
import io.jpen.core.engine.Protocol;
import io.jpen.core.model.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** -U, -H, -B and the TLS options (-E -K -G -A -R -L -Z) on jpen's command line. */
@Timeout(30)
class ProtocolOptionsTest {
    @TempDir
    Path dir;

    private static EngineOptions parse(String... args) {
        Jpen jpen = new Jpen();
        Jpen.commandLine(jpen).parseArgs(args);
        return jpen.options.toEngineOptions(InstantSource.system());
    }

    @Test
    void udpHttpAndAbuseOptionsReachTheEngineOptions() {
        EngineOptions o = parse("-U", "-H", "-B", "127.0.0.1:9999", "127.0.0.1:0", "127.0.0.1:53");
        assertThat(o.protocol()).isEqualTo(Protocol.UDP);
        assertThat(o.settings().http()).isTrue();
        assertThat(o.settings().abuse()).isEqualTo(new HostPort("127.0.0.1", 9999));
        assertThat(parse("127.0.0.1:0", "127.0.0.1:80").protocol()).isEqualTo(Protocol.TCP);
    }

    @Test
    void tlsOptionsBecomeTheTlsConfiguration() {
        EngineOptions o = parse("-E", "/c.pem", "-K", "/k.pem", "-G", "/ca.pem", "-A", "/cadir", "-R", "-L", "tls1.2", "-Z",
                "127.0.0.1:0", "127.0.0.1:80");
        var t = o.tls();
        assertThat(t.certificate()).isEqualTo(Path.of("/c.pem"));
        assertThat(t.key()).isEqualTo(Path.of("/k.pem"));
        assertThat(t.caFile()).isEqualTo(Path.of("/ca.pem"));
        assertThat(t.caDir()).isEqualTo(Path.of("/cadir"));
        assertThat(t.requireClientCert()).isTrue();
        assertThat(t.protocol()).isEqualTo("tls1.2");
        assertThat(t.compat()).isTrue();
    }

    @Test
    void tlsOptionsWithoutACertificateOrWithUdpAreRefused() {
        assertThatThrownBy(() -> parse("-K", "/k.pem", "-R", "127.0.0.1:0", "127.0.0.1:80"))
                .hasMessageContaining("-K, -R given without -E");
        assertThatThrownBy(() -> parse("-E", "/c.pem", "-L", "ssl3", "127.0.0.1:0", "127.0.0.1:80"))
                .hasMessageContaining("SSL 2 and 3");
        assertThatThrownBy(() -> parse("-U", "-E", "/c.pem", "127.0.0.1:0", "127.0.0.1:80"))
                .hasMessageContaining("TLS termination works with TCP only");
    }

    @Test
    void aMissingCertificateStopsJpenWithAClearMessage() {
        Path missing = dir.resolve("missing.pem");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Jpen.run(new String[]{"-E", missing.toString(), "127.0.0.1:0", "127.0.0.1:80"});
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("jpen: cannot read certificate " + missing);
    }
}
