package io.jpen.core.engine.proxy;

import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.engine.Transport;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.ProxyBackend;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code server N proxy v1|v2}: the PROXY header a server gets before the client's first byte, over real sockets. */
@Timeout(60)
class ProxySendTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private Engine engine(Endpoint listen, Transport transport, UnaryOperator<Settings> settings, ProxyBackend backend,
                          String proxy) {
        EngineOptions o = EngineOptions.of(listen, List.of(ServerSpec.of("127.0.0.1", backend.port())),
                settings.apply(Settings.defaults())).withTransport(transport);
        Engine e = resources.keep(Engines.start(o));
        ok(e, "server 0 proxy " + proxy);
        return e;
    }

    static void ok(Engine e, String command) {
        Reply r = Engines.penctl(e).execute(command);
        assertThat(r.ok()).as("%s: %s", command, r.text()).isTrue();
    }

    /** Sends {@code text} from {@code from} and returns the header line and the echo that follow. */
    private static String[] exchange(Socket s, String text) throws IOException {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        return new String[]{r.readLine(), r.readLine()};
    }

    private static Socket connect(String from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void aV1ServerGetsTheClientsAddressAndPortAndJpensListenerInOneLineBeforeTheClientsBytes(Transport t)
            throws IOException {
        assumeTrue(t.available(), t.word() + " is not available here");
        ProxyBackend backend = resources.keep(new ProxyBackend());
        Engine e = engine(new Endpoint.Tcp("127.0.0.1", 0), t, s -> s, backend, "v1");
        try (Socket s = connect("127.0.0.7", e.port())) {
            String[] got = exchange(s, "hello\n");
            assertThat(got[0]).isEqualTo("v1 PROXY TCP4 127.0.0.7 " + s.getLocalPort() + " 127.0.0.1 " + e.port());
            assertThat(got[1]).isEqualTo("hello");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void aV2ServerGetsTheBinaryHeaderWithTheTcp6FamilyForAnIpv6Client(Transport t) throws IOException {
        assumeTrue(t.available(), t.word() + " is not available here");
        ProxyBackend backend = resources.keep(new ProxyBackend());
        Engine e = engine(new Endpoint.Tcp("::1", 0), t, s -> s, backend, "v2");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("::1", e.port()), 5_000);
            String[] got = exchange(s, "six\n");
            assertThat(got[0]).isEqualTo("v2 PROXY TCP6 0:0:0:0:0:0:0:1 " + s.getLocalPort() + " 0:0:0:0:0:0:0:1 " + e.port());
            assertThat(got[1]).isEqualTo("six");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void behindAWildcardListenerTheServerGetsTheAddressEachClientConnectedTo(Transport t) throws IOException {
        assumeTrue(t.available(), t.word() + " is not available here");
        ProxyBackend backend = resources.keep(new ProxyBackend());
        Engine e = engine(new Endpoint.Tcp(null, 0), t, s -> s, backend, "v1");
        try (Socket s = connect("127.0.0.7", e.port())) {
            assertThat(exchange(s, "four\n")).containsExactly(
                    "v1 PROXY TCP4 127.0.0.7 " + s.getLocalPort() + " 127.0.0.1 " + e.port(), "four");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("::1", e.port()), 5_000);
            assertThat(exchange(s, "six\n")).containsExactly(
                    "v1 PROXY TCP6 ::1 " + s.getLocalPort() + " ::1 " + e.port(), "six");
        }
    }

    @Test
    void aV2ServerGetsTheTcp4FamilyForAnIpv4Client() throws IOException {
        ProxyBackend backend = resources.keep(new ProxyBackend());
        Engine e = engine(new Endpoint.Tcp("127.0.0.1", 0), Transport.best(), s -> s, backend, "v2");
        try (Socket s = connect("127.0.0.9", e.port())) {
            assertThat(exchange(s, "four\n")).containsExactly(
                    "v2 PROXY TCP4 127.0.0.9 " + s.getLocalPort() + " 127.0.0.1 " + e.port(), "four");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void aUnixSocketClientIsNamedWithTheUnixFamilyInV2AndAsUnknownInV1(Transport t, @TempDir Path dir) throws Exception {
        assumeTrue(t.available(), t.word() + " is not available here");
        Path sock = dir.resolve("jpen.sock");
        ProxyBackend backend = resources.keep(new ProxyBackend());
        Engine e = engine(new Endpoint.Unix(sock), t, s -> s, backend, "v2");
        assertThat(unixExchange(sock, "unix\n")).containsExactly("v2 PROXY UNIX_STREAM  0 " + sock + " 0", "unix");
        ok(e, "server 0 proxy v1");
        assertThat(unixExchange(sock, "one\n")).containsExactly("v1 PROXY UNKNOWN", "one");
    }

    private static String[] unixExchange(Path sock, String text) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.US_ASCII));
            return new String[]{r.readLine(), r.readLine()};
        }
    }

    @Test
    void turningProxyOffAgainSendsTheClientsBytesAlone() throws IOException {
        io.jpen.core.testing.Backend echo = resources.keep(io.jpen.core.testing.Backend.echo("echo"));
        Engine e = resources.keep(Engines.start(s -> s, echo));
        ok(e, "server 0 proxy v2");
        ok(e, "server 0 proxy off");
        try (Socket s = connect("127.0.0.1", e.port())) {
            io.jpen.core.testing.Clients.echo(s, "plain");
        }
    }

    @Test
    void anIdlerToAProxyServerStartsWithTheLocalCommandAsJpensOwnConnection() throws IOException {
        ProxyBackend backend = resources.keep(new ProxyBackend());
        Engine e = engine(new Endpoint.Tcp("127.0.0.1", 0), Transport.best(), s -> s, backend, "v2");
        ok(e, "idlers 1");
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !backend.headers().isEmpty());
        assertThat(backend.headers()).containsExactly("v2 LOCAL UNKNOWN");
        ok(e, "idlers 0");
    }
}
