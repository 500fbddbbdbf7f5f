package io.jpen.gui.app;

import io.jpen.core.model.Snapshot;
import io.jpen.gui.testing.TestBackend;
import io.jpen.gui.testing.TestClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class SessionsTest {

    @Test
    void theDemoShowsLiveTrafficWithinSeconds() {
        try (Session demo = Sessions.demo()) {
            Snapshot s = await(demo, x -> x.totals().acceptedTotal() >= 5 && x.totals().bytesDown() > 0 && x.totals().bytesUp() > 0);
            assertThat(s.servers()).hasSize(4);
            assertThat(s.servers().stream().filter(v -> v.totalConnections() > 0).count()).isGreaterThanOrEqualTo(2);
            assertThat(demo.console().target()).doesNotEndWith(":0");
        }
    }

    @Test
    void aLocalSessionRunsTheBalancerFromAPenCommandLine() throws IOException {
        try (TestBackend backend = new TestBackend("alpha", TestBackend.Mode.NAME)) {
            int port = freePort();
            try (Session local = Sessions.local(List.of("-r", "127.0.0.1:" + port, "127.0.0.1:" + backend.port()))) {
                assertThat(TestClients.fetch(port, "")).isEqualTo("alpha\n");
                Snapshot s = await(local, x -> x.servers().get(0).totalConnections() == 1);
                assertThat(s.settings().roundrobin()).isTrue();
            }
        }
    }

    /** --local reads Pen's command line with jpen's own parser: clustered short options as jpen takes them. */
    @Test
    void aLocalSessionTakesClusteredShortOptionsAsJpenDoes() throws IOException {
        try (TestBackend backend = new TestBackend("alpha", TestBackend.Mode.NAME)) {
            int port = freePort();
            try (Session local = Sessions.local(List.of("-rW", "127.0.0.1:" + port, "127.0.0.1:" + backend.port()))) {
                Snapshot s = await(local, x -> true);
                assertThat(s.settings().roundrobin()).isTrue();
                assertThat(s.settings().weight()).isTrue();
                assertThat(local.console().target()).endsWith(":" + port);
            }
        }
    }

    @Test
    void aLocalSessionAppliesItsConfigFileBeforeListeningAndRefusesABadOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        try (TestBackend backend = new TestBackend("alpha", TestBackend.Mode.NAME)) {
            java.nio.file.Path cfg = dir.resolve("jpen.cfg");
            java.nio.file.Files.writeString(cfg, "server 0 weight 7\ntcp_fastclose both\n");
            int port = freePort();
            try (Session local = Sessions.local(List.of("-F", cfg.toString(), "-O", "idle_timeout 30",
                    "127.0.0.1:" + port, "127.0.0.1:" + backend.port()))) {
                Snapshot s = await(local, x -> true);
                assertThat(s.servers().get(0).weight()).isEqualTo(7);
                assertThat(s.settings().fastClose()).isEqualTo(io.jpen.core.model.FastClose.BOTH);
                assertThat(s.settings().idleTimeoutSeconds()).isEqualTo(30);
            }
            java.nio.file.Files.writeString(cfg, "tcp_fastclose sideways\n");
            assertThatThrownBy(() -> Sessions.local(List.of("-F", cfg.toString(), "127.0.0.1:" + port, "127.0.0.1:" + backend.port())))
                    .hasMessageContaining("sideways");
            // nothing was left listening
            try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void attachRefusesWhatIsNotAnApiAddress() {
        assertThatThrownBy(() -> Sessions.attach("", null)).hasMessageContaining("address of a jpen API");
        assertThatThrownBy(() -> Sessions.attach("ftp://127.0.0.1:9090", null)).hasMessageContaining("http or https");
        assertThatThrownBy(() -> Sessions.attach("http://127.0.0.1", null)).hasMessageContaining("host and port");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Snapshot await(Session session, Predicate<Snapshot> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Snapshot s = session.console().latest();
            if (s != null && condition.test(s)) return s;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("condition not met within 20 s; last snapshot: " + session.console().latest());
    }
}
