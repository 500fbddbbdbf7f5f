package io.jpen.core.control;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Endpoint;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator modes end to end: penctl lines on the control port change what clients see. */
@Timeout(30)
class ModesOverControlPortTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private static String http10(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String echo(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        return new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
    }

    @Test
    void dummyIdlersIdleTimeoutAndKeepaliveAreSwitchedFromTheControlPort() throws Exception {
        Backend echo = keep(Backend.echo("echo"));
        Engine e = keep(Engines.start(s -> s, echo));
        ControlServer control = keep(ControlServer.start(Engines.penctl(e), new Endpoint.Tcp(null, 0), null));
        int port = control.port();
        Socket before = keep(new Socket(InetAddress.getLoopbackAddress(), e.port()));
        before.setSoTimeout(10_000);
        assertThat(echo(before, "ping")).isEqualTo("ping");

        assertThat(ControlClient.send(port, "dummy")).isEmpty();
        assertThat(http10(e.port())).startsWith("HTTP/1.1 200 OK");
        assertThat(echo.accepted()).isEqualTo(1);
        assertThat(ControlClient.send(port, "no dummy")).isEmpty();
        assertThat(echo(before, "still proxied")).isEqualTo("still proxied");

        // Pen crashes on this one.
        assertThat(ControlClient.send(port, "idlers 2")).matches("Idlers: [0-2]/2\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> ControlClient.send(port, "idlers").equals("Idlers: 2/2\n"));
        assertThat(echo.openConnections()).isEqualTo(3);
        assertThat(ControlClient.send(port, "idlers 0")).matches("Idlers: [0-2]/0\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> ControlClient.send(port, "idlers").equals("Idlers: 0/0\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> echo.openConnections() == 1);

        assertThat(ControlClient.send(port, "keepalive")).isEmpty();
        assertThat(ControlClient.send(port, "tcp_nodelay")).isEmpty();
        try (Socket after = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            after.setSoTimeout(10_000);
            assertThat(echo(after, "pong")).isEqualTo("pong");
            var newest = e.connectionList().stream().max(java.util.Comparator.comparingInt(c -> c.id())).orElseThrow();
            assertThat(io.jpen.core.testing.KernelSockets.client(newest).isKeepAlive()).isTrue();
            assertThat(io.jpen.core.testing.KernelSockets.server(newest).isTcpNoDelay()).isTrue();
        }

        // The connection from the start has been quiet since its last echo: a one-second timeout ends it.
        assertThat(ControlClient.send(port, "idle_timeout 1")).isEqualTo("Idle timeout: 1 seconds\n");
        assertThat(before.getInputStream().read()).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
    }
}
