package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Resources;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.jpen.core.testing.Clients.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The relay reads the wall clock only where it needs a time, and a loop's pass reads it once for all the events it
 * serves ({@link PassClock}): a short connection costs at most one read per pass that serves it.
 */
@Timeout(60)
class ClockReadsTest {
    private static final int CONNECTIONS = 200;
    @RegisterExtension
    final Resources resources = new Resources();

    /** The system clock, counting how often it is read. */
    private static final class CountingClock implements InstantSource {
        final AtomicLong reads = new AtomicLong();

        @Override
        public Instant instant() {
            reads.incrementAndGet();
            return Instant.now();
        }

        @Override
        public long millis() {
            reads.incrementAndGet();
            return System.currentTimeMillis();
        }
    }

    @ParameterizedTest(name = "plain pairs {0}")
    @ValueSource(booleans = {true, false})
    void aShortConnectionReadsTheClockOncePerPassOfItsLoop(boolean plainPairs) throws Exception {
        CountingClock clock = new CountingClock();
        Engine e = started(clock, plainPairs);
        long before = clock.reads.get();
        for (int i = 0; i < CONNECTIONS; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
                s.setSoTimeout(10_000);
                echo(s, "request " + i);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> e.connections().size() == 0);
        double perConnection = (double) (clock.reads.get() - before) / CONNECTIONS;
        // One client at a time, so each pass of the loop serves one of its events: accepted (its time and the server
        // choice's), connected (the latency sample's) with the request read, the answer read, the end and the
        // release: 3-4 (6 on a plain pair, 7 through channels, when each of them read the clock). Up to one more: a
        // message the kernel splits in two.
        assertThat(perConnection).isLessThan(5.0);
    }

    @ParameterizedTest(name = "plain pairs {0}")
    @ValueSource(booleans = {true, false})
    void clientsServedInOnePassShareOneReadOfTheClock(boolean plainPairs) throws Exception {
        CountingClock clock = new CountingClock();
        Engine e = started(clock, plainPairs);
        int together = 8;
        List<Socket> clients = new ArrayList<>();
        long before = clock.reads.get();
        // The loop is kept busy while the clients connect and send: all of them are accepted in its next pass.
        HeldLoop held = HeldLoop.hold(e.group().next());
        for (int i = 0; i < together; i++) {
            Socket s = resources.keep(new Socket(InetAddress.getLoopbackAddress(), e.port()));
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("request " + i).getBytes(StandardCharsets.US_ASCII));
            clients.add(s);
        }
        held.release();
        for (int i = 0; i < together; i++) {
            byte[] answer = clients.get(i).getInputStream().readNBytes(("request " + i).length());
            assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("request " + i);
            clients.get(i).close();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> e.connections().size() == 0);
        double perConnection = (double) (clock.reads.get() - before) / together;
        // At most 1 + 3 per connection even if every later event had a pass of its own (6 on a plain pair, 7 through
        // channels, when each event read the clock); a split message may add one.
        assertThat(perConnection).isLessThan(3.5);
    }

    /**
     * Netty times every pass of a loop that may suspend (its auto-scaling), two clock reads per pass; jpen's loops
     * never suspend, on every transport.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void theEngineLoopsCannotSuspendSoNettyDoesNotTimeTheirPasses(Transport transport) throws Exception {
        assumeTrue(transport.available(), () -> transport + " is not available here");
        Backend backend = resources.keep(Backend.echo("echo"));
        Engine e = resources.keep(new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                        List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults())
                .withThreads(2).withTransport(transport)));
        e.start();
        for (EventExecutor loop : e.group()) {
            assertThat(((SingleThreadEventExecutor) loop).trySuspend()).as("%s loop suspends", transport).isFalse();
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            echo(s, "still relaying");
        }
    }

    /** An engine on one epoll loop (whose passes the clock follows), with plain pairs or Netty's channels. */
    private Engine started(InstantSource clock, boolean plainPairs) throws Exception {
        assumeTrue(Transport.EPOLL.available(), "needs Netty's epoll transport");
        Backend backend = resources.keep(Backend.echo("echo"));
        // Housekeeping far apart so that only the connections' own reads are counted.
        Engine e = resources.keep(new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                        List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults())
                .withClock(clock).withHousekeepingMillis(600_000).withThreads(1).withTransport(Transport.EPOLL)
                .withPlainPairs(plainPairs)));
        e.start();
        return e;
    }
}
