package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import io.jpen.core.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Events an operator reads: why a server went out, a listener that moves. */
@Timeout(60)
class EventWordsTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private static String event(Engine e, String kind) {
        return e.events().recent().stream().filter(ev -> ev.kind().equals(kind)).reduce((a, b) -> b).orElseThrow().message();
    }

    @Test
    void aBlacklistedServersStateChangeSaysWhyItsConnectFailed() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Backend live = resources.keep(Backend.named("live"));
        Engine e = resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", dead), ServerSpec.of("127.0.0.1", live.port())),
                Settings.defaults().withRoundrobin(true)).withClock(new TestClock())));
        // a clock that stands still: the event says the time left when it is written, which on the wall clock is
        // 29 s if housekeeping notes the change more than a second after the failed connect (a loaded machine)
        for (int i = 0; i < 2; i++) assertThat(fetch(e.port())).isEqualTo("live");
        await().atMost(10, TimeUnit.SECONDS).until(() -> e.events().recent().stream()
                .anyMatch(ev -> ev.kind().equals("server-state") && ev.message().contains("blacklisted")));
        assertThat(event(e, "server-state")).isEqualTo("server 0 (127.0.0.1:" + dead
                + ") is blacklisted: connection refused, out for 30 s (was up)");
    }

    @Test
    void aRefusedClientIsNamedByAddressAndPortAsOperatorsWriteThem() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Engine e = resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", dead)), Settings.defaults())));
        try (java.net.Socket c = new java.net.Socket(InetAddress.getLoopbackAddress(), e.port())) {
            assertThat(c.getInputStream().read()).as("closed: no server").isEqualTo(-1);
            await().atMost(10, TimeUnit.SECONDS).until(() -> e.events().recent().stream().anyMatch(ev -> ev.kind().equals("refused")));
            assertThat(event(e, "refused")).isEqualTo("client 127.0.0.1:" + c.getLocalPort() + " refused: no server available");
        }
    }

    @Test
    void aListenerMoveNamesWhereItWasAndWhereItIsNow() throws Exception {
        Backend live = resources.keep(Backend.named("live"));
        Engine e = resources.keep(Engines.start(s -> s, live));
        int before = e.port();
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int next = probe.getLocalPort();
            probe.close();
            assertThat(Engines.penctl(e).execute("listen 127.0.0.1:" + next).ok()).isTrue();
            assertThat(event(e, "listen")).isEqualTo("listener moved from 127.0.0.1:" + before + " to 127.0.0.1:" + next
                    + " (connections already open stay)");
        }
    }
}
