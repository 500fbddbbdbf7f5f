package io.jpen.gui.demo;

import io.jpen.core.model.Snapshot;
import io.jpen.gui.app.Session;
import io.jpen.gui.app.Sessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's log, as a user running it reads it: its dead server explained once, in plain words. */
@Timeout(60)
class DemoLogTest {
    @Test
    void theDemosDeadServerIsExplainedOnceAndNoJavaExceptionIsLogged() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), UntilTheDeadServerFailed.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines().filter(l -> l.contains("down on purpose"))).as(out).singleElement().asString()
                .matches(".*demo: server 3 \\(127\\.0\\.0\\.1:\\d+\\) is down on purpose: nothing listens there, so"
                        + " failover and the blacklist have something to show");
        assertThat(out.lines().filter(l -> l.contains("server 3 (") && l.contains("failed: connection refused")))
                .as(out).hasSize(1);
        assertThat(out).doesNotContain("Exception").doesNotContain("finishConnect");
    }

    /**
     * The child: the demo, until its dead server has failed (that it is warned about once however often it fails
     * again is ServerFailureLogTest's, with a blacklist time of a second rather than the demo's 20).
     */
    static final class UntilTheDeadServerFailed {
        public static void main(String[] args) throws Exception {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try (Session demo = Sessions.demo()) {
                while (System.nanoTime() < until) {
                    Snapshot s = demo.console().latest();
                    if (s != null && s.servers().get(3).failures() >= 1) System.exit(0);
                    Thread.sleep(100);
                }
            }
            System.exit(1);
        }
    }
}
