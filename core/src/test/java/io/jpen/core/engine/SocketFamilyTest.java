package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.jpen.core.testing.Clients.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jpen opens IPv4 sockets for IPv4 addresses (not the JDK's dual-stack IPv6 sockets, which cost the kernel the
 * mapped-address path), and keeps dual-stack sockets for a wildcard listen address, which must take IPv6 clients too.
 * The kernel's own tables (/proc/net/tcp and tcp6) tell which family each socket of a pair has.
 */
@Timeout(30)
class SocketFamilyTest {
    private static final Path TCP4 = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");

    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private Socket open(InetAddress to, int port) throws IOException {
        Socket s = keep(new Socket(to, port));
        s.setSoTimeout(10_000);
        return s;
    }

    /** Established sockets in one of the kernel's tables whose local ({@code local}) or remote port is {@code port}. */
    private static long established(Path table, boolean local, int port) throws IOException {
        return Files.readAllLines(table).stream().skip(1)
                .map(l -> l.trim().split("\\s+"))
                .filter(f -> f[3].equals("01"))
                .filter(f -> Integer.parseInt(f[local ? 1 : 2].substring(f[local ? 1 : 2].indexOf(':') + 1), 16) == port)
                .count();
    }

    @Test
    void anIPv4ListenerAndAnIPv4ServerGetIPv4SocketsOnBothSidesOfThePair() throws Exception {
        assumeTrue(Files.isReadable(TCP4) && Files.isReadable(TCP6), "needs Linux's /proc/net/tcp and tcp6");
        Backend echo = keep(Backend.echo("echo"));
        Engine e = keep(Engines.start(s -> s, echo));
        echo(open(InetAddress.getByName("127.0.0.1"), e.port()), "over IPv4");

        // jpen's accepted socket: local port = the listen port (the test's own client socket has it as remote port).
        assertThat(established(TCP4, true, e.port())).as("client side in /proc/net/tcp").isEqualTo(1);
        assertThat(established(TCP6, true, e.port())).as("client side in /proc/net/tcp6").isZero();
        // jpen's server-side socket: remote port = the backend's port.
        assertThat(established(TCP4, false, echo.port())).as("server side in /proc/net/tcp").isEqualTo(1);
        assertThat(established(TCP6, false, echo.port())).as("server side in /proc/net/tcp6").isZero();
    }

    @Test
    void aWildcardListenerTakesIPv4AndIPv6Clients() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assumeTrue(v6 instanceof Inet6Address && reachable(v6), "needs IPv6 on loopback");
        Backend echo = keep(Backend.echo("echo"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp(null, 0),
                List.of(ServerSpec.of("127.0.0.1", echo.port())), Settings.defaults())));
        echo(open(InetAddress.getByName("127.0.0.1"), e.port()), "from IPv4");
        echo(open(v6, e.port()), "from IPv6");
        await().untilAsserted(() -> assertThat(e.connections().size()).isEqualTo(2));
    }

    private static boolean reachable(InetAddress a) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, a)) {
            new Socket(a, s.getLocalPort()).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
