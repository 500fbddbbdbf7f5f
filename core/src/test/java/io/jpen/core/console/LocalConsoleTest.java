package io.jpen.core.console;

import io.jpen.core.engine.Engine;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class LocalConsoleTest {
    /** A console closed while its sampler ticks (the desktop console's window closing) has nothing to warn about. */
    @Test
    void aConsoleClosedWhileItSamplesLogsNoWarning() throws Exception {
        try (Engine e = Engines.start(s -> s);
             LogCapture log = new LogCapture(LocalConsole.class.getName())) {
            for (int i = 0; i < 300; i++) {
                LocalConsole console = new LocalConsole(Engines.penctl(e), Duration.ofMillis(1), 10);
                CountDownLatch sampled = new CountDownLatch(2);
                console.subscribe(s -> sampled.countDown());
                assertThat(sampled.await(10, TimeUnit.SECONDS)).as("console %d sampled", i).isTrue();
                console.close();
            }
            assertThat(log.lines()).isEmpty();
        }
    }
}
