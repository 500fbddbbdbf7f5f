package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.model.Reply;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** source and transparent: where upstream connections come from, as the backend sees it. */
@Timeout(60)
class UpstreamTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    /** A backend that answers each connection with the address it came from. */
    private ServerSocket peerReporter() throws IOException {
        ServerSocket server = keep(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write((s.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    return;
                }
            }
        }, "peer-reporter");
        t.setDaemon(true);
        t.start();
        return server;
    }

    private Engine engineFor(ServerSocket backend) {
        return engineFor(backend, Transport.best());
    }

    private Engine engineFor(ServerSocket backend, Transport transport) {
        return keep(Engines.start(EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0),
                List.of(io.jpen.core.model.ServerSpec.of("127.0.0.1", backend.getLocalPort())),
                io.jpen.core.model.Settings.defaults()).withTransport(transport)));
    }

    private static Reply change(Engine e, UnaryOperator<Upstream> f) {
        return e.execute(state -> {
            state.upstream(f.apply(state.upstream()));
            return Reply.EMPTY;
        });
    }

    private static InetAddress ip(String literal) {
        return io.netty.util.NetUtil.createInetAddressFromIpAddressString(literal);
    }

    @Test
    void upstreamConnectionsComeFromTheSourceAddress() throws Exception {
        Engine e = engineFor(peerReporter());
        assertThat(fetch("127.0.0.2", e.port())).isEqualTo("127.0.0.1");
        assertThat(change(e, u -> u.withSource(ip("127.0.0.3"))).ok()).isTrue();
        assertThat(fetch("127.0.0.2", e.port())).isEqualTo("127.0.0.3");
        assertThat(e.upstream().commands()).containsExactly("source 127.0.0.3");
    }

    @Test
    void aSourceAddressThisHostDoesNotHaveIsRefused() throws Exception {
        Engine e = engineFor(peerReporter());
        Reply r = change(e, u -> u.withSource(ip("192.0.2.1")));
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).contains("source 192.0.2.1 cannot be used").contains("must be an address of this host");
        assertThat(e.upstream()).isEqualTo(Upstream.DEFAULT);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING"})
    void transparentConnectsFromTheClientsOwnAddress(Transport transport) throws Exception {
        Engine e = engineFor(peerReporter(), transport);
        // This machine's tests run as root with CAP_NET_ADMIN; without it the next test's error is what users get.
        assertThat(change(e, u -> u.withTransparent(true)).ok()).isTrue();
        assertThat(fetch("127.0.0.2", e.port())).isEqualTo("127.0.0.2");
        assertThat(fetch("127.0.0.5", e.port())).isEqualTo("127.0.0.5");
        assertThat(e.upstream().commands()).containsExactly("transparent");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING"})
    void transparentWithoutTheCapabilityIsAClearError(Transport transport) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder("capsh", "--drop=cap_net_admin,cap_net_raw", "--", "-c",
                "exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + TransparentProbe.class.getName() + " " + transport.name())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(out).contains("transparent is not permitted").contains("CAP_NET_ADMIN");
    }

    @Test
    void transparentNeedsANativeTransport() {
        assertThatThrownBy(() -> Upstream.checkTransparent(Transport.NIO)).hasMessageContaining("transparent needs the epoll transport or io_uring");
    }
}
