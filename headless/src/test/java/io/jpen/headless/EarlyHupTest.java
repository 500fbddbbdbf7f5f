package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.jpen.headless.JpenProcess.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code systemctl reload} or logrotate's HUP can race a start. jpen takes HUP over as the first thing it does, so
 * a HUP while it is still starting is harmless (the configuration is being read anyway): it goes on and serves.
 * Before, the JVM's own handler ended the process (exit 129) until the control plane was up, 0.4-0.6 s after the
 * start here. What no Java program can cover is the JVM's own start before any Java code runs (HUP's default action
 * ends the process then): the test signals from the moment the JVM catches HUP, which /proc shows.
 */
@Timeout(120)
class EarlyHupTest {
    @TempDir
    Path dir;

    @Test
    void aHupWhileJpenIsStartingLeavesItRunningAndServing() throws Exception {
        try (NameServer backend = new NameServer("backend")) {
            int listen = JpenProcess.freePort();
            try (JpenProcess jpen = JpenProcess.start(dir, "-f", "127.0.0.1:" + listen, "127.0.0.1:" + backend.port())) {
                await().atMost(30, TimeUnit.SECONDS).until(() -> catchesHup(jpen.pid()));
                // From 0.2 s on (jpen's main is some 30-50 ms after that, measured) a HUP every 0.1 s until jpen
                // serves: the race at every stage of its start.
                int hups = 0;
                do {
                    Thread.sleep(hups == 0 ? 200 : 100); // the signal's moment, not a wait for something
                    if (!jpen.process().isAlive()) break;
                    jpen.signal("HUP");
                    hups++;
                } while (!"backend".equals(fetch(listen)) && hups < 300);
                assertThat(jpen.process().isAlive()).as("jpen after %d HUPs while starting; it said:%n%s", hups, jpen.output()).isTrue();
                assertThat(fetch(listen)).isEqualTo("backend");
            }
        }
    }

    /** Whether the process has a handler for HUP (bit 1 of SigCgt in /proc/PID/status). */
    private static boolean catchesHup(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigCgt:")) return (Long.parseLong(line.substring(7).strip(), 16) & 1) != 0;
        }
        return false;
    }
}
