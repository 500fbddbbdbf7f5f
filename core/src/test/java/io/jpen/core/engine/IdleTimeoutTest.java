package io.jpen.core.engine;

import io.jpen.core.testing.TestClock;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jpen.core.testing.Clients.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** idle_timeout: pairs without traffic either way for N seconds are closed; busy ones are not. */
@Timeout(30)
class IdleTimeoutTest {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final TestClock clock = new TestClock();

    private <T extends AutoCloseable> T keep(T r) {
        resources.add(r);
        return r;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    private Engine start(Backend backend, int idleTimeoutSeconds) {
        Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                        List.of(ServerSpec.of("127.0.0.1", backend.port())),
                        Settings.defaults().withIdleTimeoutSeconds(idleTimeoutSeconds))
                .withClock(clock).withHousekeepingMillis(20));
        e.start();
        return keep(e);
    }

    private Socket open(Engine e) throws IOException {
        Socket s = keep(new Socket(InetAddress.getLoopbackAddress(), e.port()));
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void anIdleConnectionIsClosedAfterTheTimeoutWhileABusyOneIsNot() throws Exception {
        Backend backend = keep(Backend.echo("echo"));
        Engine e = start(backend, 5);
        Socket idle = open(e);
        Socket busy = open(e);
        echo(idle, "hello");
        echo(busy, "hello");

        clock.advance(Duration.ofSeconds(3));
        echo(busy, "still here");
        clock.advance(Duration.ofSeconds(3));

        // 6 s without traffic on one, 3 s on the other: only the first goes.
        assertThat(idle.getInputStream().read()).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 1);
        echo(busy, "and still");
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.openConnections() == 1);
        assertThat(e.events().recent()).anyMatch(ev -> ev.kind().equals("idle"));
    }

    @Test
    void zeroNeverClosesAndATimeoutSetAtRunTimeAppliesToConnectionsAlreadyOpen() throws Exception {
        Backend backend = keep(Backend.echo("echo"));
        Engine e = start(backend, 0);
        Socket s = open(e);
        Socket older = open(e);
        echo(s, "hello");
        echo(older, "hello");
        clock.advance(Duration.ofHours(10));
        sweptSince(e);
        echo(s, "after ten hours");
        assertThat(e.connections().size()).isEqualTo(2);

        e.execute(state -> {
            state.settings(state.settings().withIdleTimeoutSeconds(60));
            return Reply.EMPTY;
        });
        clock.advance(Duration.ofSeconds(1));
        echo(s, "fresh");
        clock.advance(Duration.ofSeconds(59));
        // 60 s quiet on the older one, 59 s on the other: once the older is gone, a sweep has seen both.
        assertThat(older.getInputStream().read()).isEqualTo(-1);
        echo(s, "one second to spare");
        clock.advance(Duration.ofSeconds(61));
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
    }

    /** Waits until a whole housekeeping pass (and so an idle sweep) has run since now. */
    private static void sweptSince(Engine e) {
        long now = e.housekeepingPasses();
        await().atMost(Duration.ofSeconds(10)).until(() -> e.housekeepingPasses() >= now + 2);
    }

    @Test
    void aConnectionWaitingForItsFirstBytesIsIdleToo() throws Exception {
        Backend backend = keep(new Backend("hold", Backend.Mode.HOLD));
        Engine e = start(backend, 2);
        Socket s = open(e);
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.openConnections() == 1);
        clock.advance(Duration.ofSeconds(3));
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.openConnections() == 0);
    }
}
