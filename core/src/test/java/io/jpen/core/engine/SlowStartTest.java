package io.jpen.core.engine;

import io.jpen.core.model.Reply;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.HealthBackend;
import io.jpen.core.testing.Resources;
import io.jpen.core.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;

/** slowstart over real sockets, with the engine's clock moved by the test so the ramp passes without waiting. */
@Timeout(120)
class SlowStartTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private static void run(Engine e, String line) {
        Reply r = Engines.penctl(e).execute(line);
        assertThat(r.ok()).as("%s: %s", line, r.text()).isTrue();
    }

    /** Round robin over the two backends, on the test's clock. */
    private Engine roundRobin(TestClock clock, HealthBackend a, HealthBackend b) {
        return keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", a.port()), ServerSpec.of("127.0.0.1", b.port())),
                Settings.defaults().withRoundrobin(true)).withClock(clock)));
    }

    @Test
    void overTheRampTheServersShareOfNewClientsGrowsToItsFullShare() throws Exception {
        TestClock clock = new TestClock();
        HealthBackend a = keep(new HealthBackend("a"));
        HealthBackend b = keep(new HealthBackend("b"));
        Engine e = roundRobin(clock, a, b);
        run(e, "server 0 slowstart 10");
        run(e, "server 0 maint");
        run(e, "server 0 ready"); // back from maintenance: the ramp starts now
        List<Integer> perBucket = new ArrayList<>();
        for (int bucket = 1; bucket <= 5; bucket++) {
            clock.advanceSeconds(2); // 20 %, 40 %, … of the ramp
            int toA = 0;
            for (int i = 0; i < 200; i++) if (fetch(e.port()).equals("a")) toA++;
            perBucket.add(toA);
        }
        System.out.println("server 0's clients in each bucket of 200 over a 10 s slow start: " + perBucket);
        for (int i = 1; i < perBucket.size(); i++) {
            assertThat(perBucket.get(i)).as("bucket %d of %s", i, perBucket).isGreaterThan(perBucket.get(i - 1));
        }
        assertThat(perBucket.get(0)).as("early in the ramp").isLessThan(40);
        // round robin over two servers: its weight's share, half, once the ramp is over
        assertThat(perBucket.get(4)).isBetween(95, 105);
        assertThat(a.clients() + b.clients()).isEqualTo(1000);
    }

    @Test
    void slowStartNeverTurnsAClientAwayWhenNoOtherServerCanTakeIt() throws Exception {
        TestClock clock = new TestClock();
        HealthBackend a = keep(new HealthBackend("a"));
        HealthBackend b = keep(new HealthBackend("b"));
        Engine e = roundRobin(clock, a, b);
        run(e, "server 1 maint");
        run(e, "server 0 slowstart 60");
        run(e, "server 0 maint");
        run(e, "server 0 ready"); // at the very start of its ramp, and the only server in rotation
        for (int i = 0; i < 20; i++) assertThat(fetch(e.port())).isEqualTo("a");
    }
}
