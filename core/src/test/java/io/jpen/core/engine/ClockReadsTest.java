package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
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

    @Test
    void aShortConnectionReadsTheClockOncePerPassOfItsLoop() throws Exception {
        CountingClock clock = new CountingClock();
        Engine e = started(clock);
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
        // release: 4 (6 when each of them read the clock). Up to one more: a message the kernel splits in two.
        assertThat(perConnection).isLessThan(5.0);
    }

    @Test
    void clientsServedInOnePassShareOneReadOfTheClock() throws Exception {
        CountingClock clock = new CountingClock();
        Engine e = started(clock);
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
        // At most 1 + 3 per connection even if every later event had a pass of its own (6 per connection when each
        // event read the clock); a split message may add one.
        assertThat(perConnection).isLessThan(3.5);
    }

    private Engine started(InstantSource clock) throws Exception {
        Backend backend = resources.keep(Backend.echo("echo"));
        // Housekeeping far apart so that only the connections' own reads are counted.
        Engine e = resources.keep(new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                        List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults())
                .withClock(clock).withHousekeepingMillis(600_000).withThreads(1)));
        e.start();
        return e;
    }
}
