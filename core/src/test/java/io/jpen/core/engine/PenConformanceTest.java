package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.HostPort;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pen's own test-suite cases, over real sockets on loopback. */
@Timeout(30)
class PenConformanceTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    @Test
    void withClientTrackingTheSameClientAlwaysReachesTheSameServerAndAnotherClientTheOther() throws IOException {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Engine e = keep(Engines.start(s -> s, a, b));
        String first = fetch("127.0.0.1", e.port());
        for (int i = 0; i < 10; i++) assertThat(fetch("127.0.0.1", e.port())).isEqualTo(first);
        String second = fetch("127.0.0.2", e.port());
        assertThat(second).isNotEqualTo(first);
        for (int i = 0; i < 10; i++) assertThat(fetch("127.0.0.2", e.port())).isEqualTo(second);
    }

    @Test
    void withRoundRobinConsecutiveRequestsAlternateRegardlessOfClient() throws IOException {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Engine e = keep(Engines.start(s -> s.withRoundrobin(true), a, b));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 8; i++) seen.add(fetch(i % 3 == 0 ? "127.0.0.2" : "127.0.0.1", e.port()));
        for (int i = 1; i < seen.size(); i++) assertThat(seen.get(i)).isNotEqualTo(seen.get(i - 1));
    }

    @Test
    void whenEveryServerIsDownTheEmergencyServerAnswers() throws IOException {
        int dead1 = resources.refusingPort();
        int dead2 = resources.refusingPort();
        Backend emergency = keep(Backend.named("emergency"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", dead1), ServerSpec.of("127.0.0.1", dead2)),
                Settings.defaults().withEmergency(new HostPort("127.0.0.1", emergency.port())))));
        assertThat(fetch(e.port())).isEqualTo("emergency");
        long now = e.clock().millis();
        assertThat(e.servers()).allMatch(s -> s.blacklisted(now));
    }

    @Test
    void stubbornGivesNoFailover() throws IOException {
        int dead = resources.refusingPort();
        Backend live = keep(Backend.named("live"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", dead), ServerSpec.of("127.0.0.1", live.port())),
                Settings.defaults().withStubborn(true).withRoundrobin(true))));
        // Round robin starts after server 0, so the first choice is the live server, the second the dead one.
        assertThat(fetch(e.port())).isEqualTo("live");
        assertThat(fetch(e.port())).isEmpty();
        assertThat(live.accepted()).isEqualTo(1);
    }

    // Every transport: epoll leaves a socket whose connect failed open, and its late error must not reach the
    // client's connection.
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL"})
    void aRefusingServerIsFailedOverAndBlacklisted(Transport transport) throws IOException {
        assumeTrue(transport.available(), transport + " is not available here");
        int dead = resources.refusingPort();
        Backend live = keep(Backend.named("live"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", dead), ServerSpec.of("127.0.0.1", live.port())),
                Settings.defaults().withRoundrobin(true).withBlacklistSeconds(60)).withTransport(transport)));
        for (int i = 0; i < 6; i++) assertThat(fetch(e.port())).isEqualTo("live");
        assertThat(e.servers().get(0).blacklisted(e.clock().millis())).isTrue();
        assertThat(e.servers().get(0).failures()).isEqualTo(1);
    }

    @Test
    void aPortAlreadyInUseIsAClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", taken.getLocalPort()), List.of(), Settings.defaults()));
            assertThatThrownBy(e::start).hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

}
