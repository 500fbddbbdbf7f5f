package io.jpen.core.engine.proxy;

import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.engine.Transport;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.ProxyBackend;
import io.jpen.core.testing.ProxyHeaders;
import io.jpen.core.testing.Resources;
import io.jpen.core.testing.TestCerts;
import io.jpen.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static io.jpen.core.engine.proxy.ProxyAcceptTest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** PROXY headers with TLS termination, HTTP mode and splice: the header first and in clear, the rest as always. */
@Timeout(120)
class ProxyModesTest {
    @RegisterExtension
    final Resources resources = new Resources();
    @TempDir
    Path dir;

    private Engine engine(int backendPort, Settings settings, TlsConfig tls, Transport transport) {
        return resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", backendPort)), settings).withTls(tls).withTransport(transport)));
    }

    /** Reads one line (up to LF) without buffering past it. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') b.write(c);
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void withTlsTerminationTheServerGetsTheHeaderInClearAndThenThePlainBytes() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        ProxyBackend backend = resources.keep(new ProxyBackend());
        Engine e = engine(backend.port(), Settings.defaults(),
                TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key")), Transport.best());
        ok(e, "server 0 proxy v2");
        try (Socket raw = new Socket()) {
            raw.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.7"), 0));
            raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port()), 5_000);
            SSLSocket tls = (SSLSocket) TestCerts.trusting(dir.resolve("server.crt")).getSocketFactory()
                    .createSocket(raw, "localhost", e.port(), true);
            tls.setSoTimeout(10_000);
            tls.getOutputStream().write("secret\n".getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            InputStream in = tls.getInputStream();
            assertThat(line(in)).isEqualTo("v2 PROXY TCP4 127.0.0.7 " + raw.getLocalPort() + " 127.0.0.1 " + e.port());
            assertThat(line(in)).isEqualTo("secret");
            tls.close();
        }
    }

    @Test
    void inHttpModeTheHeaderPrecedesTheRewrittenRequest() throws Exception {
        ProxyBackend backend = resources.keep(new ProxyBackend());
        Engine e = engine(backend.port(), Settings.defaults().withHttp(true), TlsConfig.NONE, Transport.best());
        ok(e, "server 0 proxy v1");
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.8"), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port()), 5_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(line(in)).isEqualTo("v1 PROXY TCP4 127.0.0.8 " + s.getLocalPort() + " 127.0.0.1 " + e.port());
            assertThat(line(in)).isEqualTo("GET / HTTP/1.1\r");
            StringBuilder head = new StringBuilder();
            for (String l = line(in); !l.equals("\r"); l = line(in)) head.append(l).append('\n');
            assertThat(head.toString()).contains("X-Forwarded-For: 127.0.0.8");
        }
    }

    @Test
    void onEpollTheBytesAfterAnAcceptedHeaderAndAfterASentHeaderAreSplicedAndArriveWhole() throws Exception {
        assumeTrue(Transport.EPOLL.available(), "epoll is not available here");
        byte[] data = new byte[16 << 20];
        new Random(23).nextBytes(data);
        ProxyBackend backend = resources.keep(new ProxyBackend());
        Engine e = engine(backend.port(), Settings.defaults(), TlsConfig.NONE, Transport.EPOLL);
        ok(e, "accept_proxy");
        ok(e, "server 0 proxy v2");
        try (Socket c = ProxyHeaders.open("127.0.0.1", e.port(), ProxyHeaders.v1("203.0.113.9", 6000, "127.0.0.1", 443))) {
            c.setSoTimeout(20_000);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = c.getOutputStream();
                    for (int off = 0; off < data.length; off += 256 * 1024) out.write(data, off, 256 * 1024);
                    c.shutdownOutput();
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            InputStream in = c.getInputStream();
            assertThat(line(in)).isEqualTo("v2 PROXY TCP4 203.0.113.9 6000 127.0.0.1 443");
            byte[] back = in.readAllBytes();
            sent.get();
            assertThat(Arrays.mismatch(back, data)).as("first differing byte (-1: none) of %d", back.length).isEqualTo(-1);
        }
        assertThat(e.splicedBytesUp()).as("client bytes spliced after the accepted header").isPositive();
        assertThat(e.splicedBytesDown()).as("server bytes spliced after the sent header").isPositive();
    }
}
