package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.console.Sampler;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reliable idlers: N idle connections held open to the backends, replaced when they close. */
@Timeout(30)
class IdlersTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private Engine start(int idlers, Backend... backends) {
        List<ServerSpec> specs = new ArrayList<>();
        for (Backend b : backends) specs.add(ServerSpec.of("127.0.0.1", b.port()));
        Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), specs,
                Settings.defaults().withIdlers(idlers)).withHousekeepingMillis(20));
        e.start();
        return keep(e);
    }

    private static Backend hold(String name) throws Exception {
        return new Backend(name, Backend.Mode.HOLD);
    }

    private static void idlers(Engine e, int n) {
        assertThat(e.execute(state -> {
            state.settings(state.settings().withIdlers(n));
            return Reply.EMPTY;
        }).ok()).isTrue();
    }

    private static String idlersReply(Engine e) {
        return e.execute(state -> Reply.ok("Idlers: " + state.idlersOpen() + "/" + state.settings().idlers())).text();
    }

    @Test
    void idlersAppearAsEstablishedConnectionsSpreadOverTheBackends() throws Exception {
        Backend a = keep(hold("a"));
        Backend b = keep(hold("b"));
        Engine e = start(4, a, b);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.openConnections() == 2 && b.openConnections() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> e.idlersOpen() == 4);
        assertThat(idlersReply(e)).isEqualTo("Idlers: 4/4");
        // They are not client connections: nothing to list or count against conn_max.
        assertThat(e.connections().size()).isZero();
        assertThat(new Sampler(e, 10, 10).sample().totals().idlers()).isEqualTo(4);
    }

    @Test
    void idlersConnectWhenTheTimeoutIsTooLongForIntMilliseconds() throws Exception {
        Backend a = keep(hold("a"));
        // 2,147,484 s is more milliseconds than an int holds; Pen takes any int as -t.
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), List.of(ServerSpec.of("127.0.0.1", a.port())),
                Settings.defaults().withIdlers(2).withTimeoutSeconds(Integer.MAX_VALUE)).withHousekeepingMillis(20)));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.openConnections() == 2 && e.idlersOpen() == 2);
        assertThat(Engines.penctl(e).execute("timeout 2147484").ok()).isTrue();
        a.dropConnections();
        await().atMost(Duration.ofSeconds(15)).until(() -> a.accepted() >= 4 && e.idlersOpen() == 2);
    }

    @Test
    void idlersComeBackAfterABackendKillsThem() throws Exception {
        Backend a = keep(hold("a"));
        Engine e = start(3, a);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.openConnections() == 3 && e.idlersOpen() == 3);
        for (int round = 1; round <= 2; round++) {
            int before = a.accepted();
            a.dropConnections();
            await().atMost(Duration.ofSeconds(15)).until(() -> a.accepted() >= before + 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.openConnections() == 3 && e.idlersOpen() == 3);
        }
        assertThat(a.accepted()).isEqualTo(9);
    }

    @Test
    void settingIdlersAtRunTimeOpensAndClosesThem() throws Exception {
        Backend a = keep(hold("a"));
        Engine e = start(0, a);
        assertThat(idlersReply(e)).isEqualTo("Idlers: 0/0");
        idlers(e, 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.openConnections() == 5 && e.idlersOpen() == 5);
        idlers(e, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.openConnections() == 2 && e.idlersOpen() == 2);
        assertThat(idlersReply(e)).isEqualTo("Idlers: 2/2");
        idlers(e, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.openConnections() == 0 && e.idlersOpen() == 0);
        assertThat(a.accepted()).isEqualTo(5);
    }

    @Test
    void aServerThatDropsIdlersAtOnceIsRetriedWithABackoffThatDoubles() throws Exception {
        // A NAME backend writes its name and ends its side: every idler dies at once. The clock stands still
        // unless the test moves it, so the back-off passes only when it says.
        Backend dropper = keep(Backend.named("dropper"));
        TestClock clock = new TestClock();
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", dropper.port())), Settings.defaults().withIdlers(2))
                .withClock(clock).withHousekeepingMillis(20)));
        droppedAgain(e, dropper, 2); // both idlers lost: 250 ms back-off

        clock.advance(Duration.ofMillis(249));
        housekeptSince(e);
        assertThat(dropper.accepted()).as("no retry within the first back-off").isEqualTo(2);
        clock.advance(Duration.ofMillis(1));
        droppedAgain(e, dropper, 4); // retried, lost again: 500 ms

        clock.advance(Duration.ofMillis(499));
        housekeptSince(e);
        assertThat(dropper.accepted()).as("no retry within the doubled back-off").isEqualTo(4);
        clock.advance(Duration.ofMillis(1));
        droppedAgain(e, dropper, 6);
    }

    /** Waits until the backend has seen {@code accepted} idlers in all and jpen has closed every one of them. */
    private static void droppedAgain(Engine e, Backend dropper, int accepted) {
        await().atMost(Duration.ofSeconds(10)).until(() -> dropper.accepted() == accepted && dropper.openConnections() == 0);
        // An idler is lost on the housekeeping loop as it closes: a pass after that has seen the loss.
        housekeptSince(e);
    }

    private static void housekeptSince(Engine e) {
        long now = e.housekeepingPasses();
        await().atMost(Duration.ofSeconds(10)).until(() -> e.housekeepingPasses() >= now + 2);
    }

    @Test
    void idlersDoNotTakeClientSlotsOnTheirServer() throws Exception {
        Backend a = keep(Backend.named("a"));
        Engine e = start(3, a);
        await().atMost(Duration.ofSeconds(15)).until(() -> a.accepted() >= 3);
        // NAME backends close at once, so these idlers keep being replaced; none of them counts as a client.
        assertThat(e.servers().get(0).connections()).isZero();
        assertThat(e.servers().get(0).totalConnections()).isZero();
        assertThat(fetch(e.port())).isEqualTo("a");
    }
}
