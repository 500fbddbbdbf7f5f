package io.jpen.core.engine;

import io.jpen.core.model.Reply;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.ServerState;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.HealthBackend;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static io.jpen.core.testing.Clients.echo;
import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** drain, drain N, maint, ready and close over real sockets, with a long-lived connection moving bytes throughout. */
@Timeout(90)
class DrainMaintenanceTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private static Reply run(Engine e, String line) {
        Reply r = Engines.penctl(e).execute(line);
        assertThat(r.ok()).as("%s: %s", line, r.text()).isTrue();
        return r;
    }

    private record Setup(HealthBackend a, HealthBackend b, Engine engine) {}

    private Setup start() throws IOException {
        HealthBackend a = keep(new HealthBackend("a"));
        HealthBackend b = keep(new HealthBackend("b"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", a.port()), ServerSpec.of("127.0.0.1", b.port())),
                Settings.defaults().withRoundrobin(true))));
        return new Setup(a, b, e);
    }

    /** A connection through the balancer to server {@code index} (round robin alternates; a few tries find it). */
    private Socket longLivedTo(Setup s, int index) throws IOException {
        for (int i = 0; i < 4; i++) {
            Socket c = keep(new Socket(InetAddress.getLoopbackAddress(), s.engine().port()));
            c.setSoTimeout(10_000);
            echo(c, "hello\n");
            if (s.engine().servers().get(index).connections() == 1) return c;
            c.close();
        }
        throw new AssertionError("no connection reached server " + index);
    }

    /** Echoes {@code rounds} chunks on {@code c}: bytes keep flowing end to end. */
    private static void stillTransfers(Socket c, int rounds) throws IOException {
        for (int i = 0; i < rounds; i++) echo(c, "chunk " + i + " " + "x".repeat(1000) + "\n");
    }

    private static boolean closedByPeer(Socket c) {
        try {
            InputStream in = c.getInputStream();
            c.setSoTimeout(10_000);
            return in.read() < 0;
        } catch (IOException e) {
            return true; // reset: closed as well
        }
    }

    @Test
    void drainSendsNewClientsElsewhereWhileAnOldConnectionKeepsTransferringThenReadyBringsItBack() throws Exception {
        Setup s = start();
        Engine e = s.engine();
        Socket old = longLivedTo(s, 0);
        int aClients = s.a().clients();

        run(e, "server 0 drain");
        assertThat(e.servers().get(0).state(e.clock().millis())).isEqualTo(ServerState.DRAIN);
        for (int i = 0; i < 100; i++) {
            assertThat(fetch(e.port())).isEqualTo("b");
            if (i % 10 == 0) stillTransfers(old, 1);
        }
        stillTransfers(old, 20);
        assertThat(s.a().clients()).as("no new client reached the draining server").isEqualTo(aClients);
        assertThat(e.servers().get(0).connections()).isEqualTo(1);
        assertThat(e.events().recent()).anyMatch(ev -> ev.message().equals(
                "server 0 (127.0.0.1:" + s.a().port() + ") is draining: drained by operator (was up)"));

        run(e, "server 0 ready");
        List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) seen.add(fetch(e.port()));
        assertThat(seen).contains("a", "b");
        stillTransfers(old, 1);
    }

    @Test
    void aTimedDrainClosesWhatIsLeftWhenItsTimeIsUp() throws Exception {
        Setup s = start();
        Engine e = s.engine();
        Socket old = longLivedTo(s, 0);
        run(e, "server 0 drain 2");
        assertThat(run(e, "servers").text().lines().findFirst().orElseThrow()).matches(".* state drain left [12]");
        stillTransfers(old, 5); // still served while the drain runs
        assertThat(closedByPeer(old)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> e.servers().get(0).connections() == 0);
        assertThat(e.events().recent()).anyMatch(ev -> ev.message().equals(
                "server 0 (127.0.0.1:" + s.a().port() + "): drain time over, 1 connection closed"));
        assertThat(fetch(e.port())).isEqualTo("b"); // still draining: no new clients
        run(e, "server 0 ready");
        assertThat(List.of(fetch(e.port()), fetch(e.port()))).contains("a");
    }

    @Test
    void readyBeforeTheDrainTimeIsUpKeepsTheConnection() throws Exception {
        Setup s = start();
        Engine e = s.engine();
        Socket old = longLivedTo(s, 0);
        run(e, "server 0 drain 1");
        run(e, "server 0 ready");
        // wait until well past the drain time by an event that must come after it: a later timed drain ending
        Socket other = longLivedTo(s, 1);
        run(e, "server 1 drain 2");
        assertThat(closedByPeer(other)).isTrue();
        stillTransfers(old, 3);
        assertThat(e.servers().get(0).connections()).isEqualTo(1);
    }

    @Test
    void maintTakesAServerOutByHandAndCloseEndsItsConnectionsAtOnce() throws Exception {
        Setup s = start();
        Engine e = s.engine();
        Socket old = longLivedTo(s, 0);
        run(e, "server 0 check http /healthz");
        await().atMost(Duration.ofSeconds(10)).until(() -> s.a().checks() > 0);
        run(e, "server 0 maint");
        assertThat(e.servers().get(0).state(e.clock().millis())).isEqualTo(ServerState.MAINT);
        int checks = s.a().checks();
        for (int i = 0; i < 20; i++) assertThat(fetch(e.port())).isEqualTo("b");
        stillTransfers(old, 3); // maintenance leaves established connections alone

        Reply closed = run(e, "server 0 close");
        assertThat(closed.text()).isEqualTo("Forcibly closing 1 connection of server 0\n");
        assertThat(closedByPeer(old)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> e.servers().get(0).connections() == 0);
        assertThat(s.a().checks()).as("no checks in maintenance").isEqualTo(checks);

        run(e, "server 0 ready");
        // with a check, a server back from maintenance waits for one passed check before it takes clients
        await().atMost(Duration.ofSeconds(10)).until(() -> e.servers().get(0).state(e.clock().millis()) == ServerState.UP);
        assertThat(s.a().checks()).isGreaterThan(checks);
        assertThat(e.events().recent()).anyMatch(ev -> ev.message().contains("is down: made ready by operator, waiting for its first check (was maint)"));
        assertThat(List.of(fetch(e.port()), fetch(e.port()))).contains("a");
    }

    @Test
    void closeEndsOnlyThatServersConnections() throws Exception {
        Setup s = start();
        Engine e = s.engine();
        Socket toA = longLivedTo(s, 0);
        Socket toB = longLivedTo(s, 1);
        run(e, "server 0 close");
        assertThat(closedByPeer(toA)).isTrue();
        stillTransfers(toB, 3);
    }
}
