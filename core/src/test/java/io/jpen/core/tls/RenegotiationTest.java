package io.jpen.core.tls;

import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import io.jpen.core.testing.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that asks for a new TLS 1.2 handshake on an established connection makes the server do the expensive
 * half of a full handshake each time (one connection did 186 in a row, 2.4 s of CPU). jpen refuses it: the
 * connection that tries ends, and only the first handshake ever completes.
 */
@Timeout(60)
class RenegotiationTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void aClientInitiatedRenegotiationEndsTheConnectionAfterOneHandshake() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        Backend echo = resources.keep(Backend.echo("echo"));
        Engine e = resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", echo.port())), Settings.defaults())
                .withTls(TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key")))));
        SSLSocket s = resources.keep((SSLSocket) TestCerts.trusting(dir.resolve("server.crt")).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), e.port()));
        s.setSoTimeout(10_000);
        s.setEnabledProtocols(new String[]{"TLSv1.2"});
        AtomicInteger handshakes = new AtomicInteger();
        s.addHandshakeCompletedListener(h -> handshakes.incrementAndGet());
        s.startHandshake();
        assertThat(roundTrip(s, "first")).isEqualTo("first");

        s.startHandshake(); // TLS 1.2: a renegotiation, started by the client
        String after;
        try {
            after = roundTrip(s, "second");
        } catch (IOException refused) {
            after = "refused: " + refused.getMessage();
        }
        assertThat(after).as("what came back after the renegotiation").startsWith("refused");
        assertThat(handshakes.get()).isEqualTo(1);
    }

    @Test
    void opensslsRenegotiationIsAnsweredWithAHandshakeFailure() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        Backend echo = resources.keep(Backend.echo("echo"));
        Engine e = resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", echo.port())), Settings.defaults())
                .withTls(TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key")))));
        // Without -quiet, s_client reads a line "R" on its input as "renegotiate" (TLS 1.2).
        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + e.port(), "-tls1_2")
                .redirectErrorStream(true).start();
        StringBuffer said = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (InputStream in = openssl.getInputStream()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) >= 0) said.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            } catch (IOException ignored) {
                // openssl ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (OutputStream in = openssl.getOutputStream()) {
            in.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            await().atMost(30, TimeUnit.SECONDS).until(() -> said.indexOf("\nhello\n") >= 0);
            in.write("R\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            await().atMost(30, TimeUnit.SECONDS).until(() -> !openssl.isAlive() || said.indexOf("alert") >= 0
                    || said.lastIndexOf("depth=0") > said.indexOf("RENEGOTIATING"));
            if (openssl.isAlive()) {
                in.write("after\n".getBytes(StandardCharsets.US_ASCII));
                in.flush();
            }
        } catch (IOException opensslEnded) {
            // it ended on the refusal
        }
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        assertThat(said.toString()).contains("RENEGOTIATING").contains("alert handshake failure").doesNotContain("\nafter\n");
    }

    /** Writes {@code text} and reads as many bytes back; "EOF" when the connection ends first. */
    private static String roundTrip(SSLSocket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] back = in.readNBytes(bytes.length);
        if (back.length < bytes.length) throw new IOException("EOF after " + back.length + " bytes");
        return new String(back, StandardCharsets.US_ASCII);
    }
}
