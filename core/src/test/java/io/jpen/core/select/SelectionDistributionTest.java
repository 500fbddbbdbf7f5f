package io.jpen.core.select;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Weight, prio, hash and round robin, and the per-server limits, over hundreds of real connections. */
@Timeout(60)
class SelectionDistributionTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private Engine engine(UnaryOperator<Settings> settings, ServerSpec... specs) {
        return keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), List.of(specs),
                settings.apply(Settings.defaults()))));
    }

    private Socket hold(Engine e, String from) throws IOException {
        Socket s = keep(new Socket());
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", e.port()), 5000);
        return s;
    }

    /** What the engine saw (a failed connect, a blacklisting), for a failure's message. */
    private static java.util.function.Supplier<String> events(Engine e) {
        return () -> "events: " + e.events().recent();
    }

    private static void awaitConnections(Engine e, int server, int n) {
        await().until(() -> e.servers().get(server).connections() == n);
    }

    @Test
    void roundRobinSpreadsHundredsOfConnectionsEvenly() throws IOException {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Backend c = keep(Backend.named("c"));
        Engine e = keep(Engines.start(s -> s.withRoundrobin(true), a, b, c));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) counts.merge(fetch(e.port()), 1, Integer::sum);
        assertThat(counts).containsEntry("a", 100).containsEntry("b", 100).containsEntry("c", 100);
    }

    /**
     * Two held backends of weights 1 and 3 under weighted least connections, 200 clients held on them: the split
     * keeps connections/weight level, 50 on weight 1 and 150 on weight 3.
     */
    private Held holdTwoHundredOnWeightsOneAndThree(UnaryOperator<Settings> more) throws IOException {
        Backend light = keep(new Backend("light", Backend.Mode.HOLD));
        Backend heavy = keep(new Backend("heavy", Backend.Mode.HOLD));
        Engine e = engine(s -> more.apply(s.withWeight(true).withRoundrobin(true)),
                new ServerSpec("127.0.0.1", light.port(), 0, 0, 1, 0, -1),
                new ServerSpec("127.0.0.1", heavy.port(), 0, 0, 3, 0, -1));
        List<Socket> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) clients.add(hold(e, "127.0.0.1"));
        await().until(() -> e.connections().size() == 200 && e.pendingConnects() == 0);
        assertThat(e.servers().get(0).connections()).as(events(e)).isBetween(49, 51);
        assertThat(e.servers().get(1).connections()).as(events(e)).isBetween(149, 151);
        return new Held(e, clients);
    }

    private record Held(Engine engine, List<Socket> clients) {}

    @Test
    void weightSendsNewConnectionsToTheServerWithTheLeastConnectionsPerWeight() throws IOException {
        holdTwoHundredOnWeightsOneAndThree(s -> s);
    }

    @Test
    void weightCountsAClientWaitingForAConnectSlotAgainstTheServerChosenForIt() throws IOException {
        // One connect at a time: most clients are chosen a server while others still wait for their slot.
        Held held = holdTwoHundredOnWeightsOneAndThree(s -> s.withPendingMax(1));
        Engine e = held.engine();
        assertThat(e.servers().get(0).connections() + e.servers().get(1).connections())
                .as("a client that waited is counted once").isEqualTo(200);

        for (Socket c : held.clients()) c.close();
        await().until(() -> e.connections().size() == 0);
        assertThat(e.servers().get(0).connections()).isZero();
        assertThat(e.servers().get(1).connections()).isZero();
    }

    @Test
    void prioUsesTheLowestPrioServerUntilItIsUnavailable() throws IOException {
        Backend first = keep(Backend.named("first"));
        Backend second = keep(Backend.named("second"));
        Engine e = engine(s -> s.withPrio(true).withRoundrobin(true),
                new ServerSpec("127.0.0.1", second.port(), 0, 0, 0, 5, -1),
                new ServerSpec("127.0.0.1", first.port(), 0, 0, 0, 1, -1));
        for (int i = 0; i < 100; i++) assertThat(fetch(e.port())).isEqualTo("first");
        e.servers().get(1).blacklist(e.clock().millis(), 60);
        for (int i = 0; i < 20; i++) assertThat(fetch(e.port())).isEqualTo("second");
    }

    @Test
    void hashSendsEachClientAddressToItsAddressModuloTheServerCount() throws IOException {
        Backend a = keep(Backend.named("0"));
        Backend b = keep(Backend.named("1"));
        Backend c = keep(Backend.named("2"));
        Engine e = keep(Engines.start(s -> s.withHash(true), a, b, c));
        for (int host = 1; host <= 30; host++) {
            String from = "127.0.0." + host;
            long address = (127L << 24) | host;
            String expected = Long.toString(address % 3);
            for (int i = 0; i < 5; i++) assertThat(fetch(from, e.port())).as(from).isEqualTo(expected);
        }
    }

    @Test
    void aServerAtItsSoftLimitTakesNoNewClients() throws IOException {
        Backend limited = keep(new Backend("limited", Backend.Mode.HOLD));
        Backend other = keep(new Backend("other", Backend.Mode.HOLD));
        Engine e = engine(s -> s.withRoundrobin(true),
                new ServerSpec("127.0.0.1", limited.port(), 2, 0, 0, 0, -1),
                ServerSpec.of("127.0.0.1", other.port()));
        for (int i = 0; i < 20; i++) hold(e, "127.0.0.1");
        await().until(() -> e.connections().size() == 20 && e.pendingConnects() == 0);
        assertThat(e.servers().get(0).connections()).isEqualTo(2);
        assertThat(e.servers().get(1).connections()).isEqualTo(18);
    }

    @Test
    void aReturningClientMayUseTheHardLimitButANewClientMayNot() throws IOException {
        Backend limited = keep(new Backend("limited", Backend.Mode.HOLD));
        Backend other = keep(new Backend("other", Backend.Mode.HOLD));
        // Round robin's first pick is server 1, so the limited server is server 1.
        Engine e = engine(s -> s,
                ServerSpec.of("127.0.0.1", other.port()),
                new ServerSpec("127.0.0.1", limited.port(), 1, 2, 0, 0, -1));
        hold(e, "127.0.0.1");
        awaitConnections(e, 1, 1);
        hold(e, "127.0.0.1"); // returning: over soft 1, under hard 2
        awaitConnections(e, 1, 2);
        hold(e, "127.0.0.1"); // returning but at hard 2: fails over
        awaitConnections(e, 0, 1);
        assertThat(e.servers().get(1).connections()).isEqualTo(2);
    }
}
