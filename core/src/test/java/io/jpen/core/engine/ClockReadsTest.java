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
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.jpen.core.testing.Clients.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay reads the wall clock only where it needs a time: a short connection costs a fixed, small number of reads. */
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
    void aShortConnectionWithOneRequestReadsTheClockSixTimesNotSeven() throws Exception {
        Backend backend = resources.keep(Backend.echo("echo"));
        CountingClock clock = new CountingClock();
        // Housekeeping far apart so that only the connections' own reads are counted.
        Engine e = resources.keep(new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                        List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults())
                .withClock(clock).withHousekeepingMillis(600_000)));
        e.start();
        long before = clock.reads.get();
        for (int i = 0; i < CONNECTIONS; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
                s.setSoTimeout(10_000);
                echo(s, "request " + i);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> e.connections().size() == 0
                && backend.openConnections() == 0);
        double perConnection = (double) (clock.reads.get() - before) / CONNECTIONS;
        // Accepted, server choice, connected (latency sample), one read each way, released: 6. Both sides' close
        // listeners reach the release; only the first may read the clock (7 if both do). Half a read of slack: a
        // message the kernel splits in two costs one read more.
        assertThat(perConnection).isLessThan(6.5);
    }
}
