package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.Server;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Failover, blacklisting, connect timeout and the -x limit, over real sockets. */
@Timeout(60)
class FailoverTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    @Test
    void whenABackendStopsEveryRequestStillSucceedsAndItIsBlacklistedForTheBlacklistTime() throws IOException {
        TestClock clock = new TestClock();
        Backend a = keep(Backend.named("a"));
        Backend b = Backend.named("b");
        int bPort = b.port();
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", a.port()), ServerSpec.of("127.0.0.1", bPort)),
                Settings.defaults().withRoundrobin(true).withBlacklistSeconds(30)).withClock(clock)));
        assertThat(List.of(fetch(e.port()), fetch(e.port()))).containsExactlyInAnyOrder("a", "b");
        b.close();
        await().until(() -> refused(bPort)); // the backend is really gone before we count on failover
        for (int i = 0; i < 20; i++) assertThat(fetch(e.port())).isEqualTo("a");
        Server failed = e.servers().get(1);
        assertThat(failed.failures()).isEqualTo(1);
        assertThat(failed.blacklisted(clock.millis())).isTrue();

        // The server comes back on the same port: unused until the blacklist time has passed, then used again.
        Backend back = keep(new Backend("b", Backend.Mode.NAME, new InetSocketAddress(InetAddress.getLoopbackAddress(), bPort)));
        clock.advanceSeconds(29);
        for (int i = 0; i < 4; i++) assertThat(fetch(e.port())).isEqualTo("a");
        clock.advanceSeconds(2);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) seen.add(fetch(e.port()));
        assertThat(seen).contains("a", "b");
        assertThat(back.accepted()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL"})
    void aBackendThatNeverCompletesTheHandshakeTimesOutAndTheNextServerAnswers(Transport transport) throws IOException {
        // A listener whose accept queue is full drops further SYNs: connects to it hang until jpen gives up.
        ServerSocket blackHole = keep(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        for (int i = 0; i < 4; i++) {
            Socket filler = keep(new Socket());
            try {
                filler.connect(blackHole.getLocalSocketAddress(), 200);
            } catch (IOException full) {
                break; // the queue is full
            }
        }
        Backend live = keep(Backend.named("live"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", live.port()), ServerSpec.of("127.0.0.1", blackHole.getLocalPort())),
                Settings.defaults().withRoundrobin(true).withTimeoutSeconds(1)).withTransport(transport)));
        long start = System.nanoTime();
        // Round robin tries server 1 (the black hole) first.
        assertThat(fetch(e.port())).isEqualTo("live");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(waitedMillis).as("jpen waited for the connect timeout before failing over").isGreaterThanOrEqualTo(900);
        assertThat(e.servers().get(1).failures()).isEqualTo(1);
        assertThat(e.events().recent()).anySatisfy(ev -> assertThat(ev.message()).containsIgnoringCase("timed out"));
    }

    @Test
    void beyondConnMaxNewClientsAreRefusedPromptlyAndEstablishedOnesAreUnaffected() throws IOException {
        Backend echo = keep(Backend.echo("echo"));
        Engine e = keep(Engines.start(s -> s.withConnMax(3), echo));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = keep(new Socket("127.0.0.1", e.port()));
            s.setSoTimeout(5000);
            held.add(s);
        }
        await().until(() -> e.connections().size() == 3);
        try (Socket refused = new Socket("127.0.0.1", e.port())) {
            refused.setSoTimeout(5000);
            assertThat(refused.getInputStream().read()).as("refused client sees EOF").isEqualTo(-1);
        }
        for (Socket s : held) {
            s.getOutputStream().write('x');
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo('x');
        }
        held.get(0).close();
        await().until(() -> e.connections().size() == 2);
        Socket later = keep(new Socket("127.0.0.1", e.port()));
        later.setSoTimeout(5000);
        later.getOutputStream().write('y');
        assertThat(later.getInputStream().read()).isEqualTo('y');
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
