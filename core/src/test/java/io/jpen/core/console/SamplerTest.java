package io.jpen.core.console;

import io.jpen.core.engine.Engine;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SamplerTest {

    @Test
    void aSnapshotShowsTheBoundPortAndCountsWhatPassed() throws Exception {
        try (Backend a = Backend.named("a"); Engine e = Engines.start(s -> s, a)) {
            Sampler sampler = new Sampler(e, 10, 10);
            sampler.sample();
            assertThat(fetch(e.port())).isEqualTo("a");
            Snapshot s = sampler.sample();
            assertThat(s.listen()).isEqualTo("127.0.0.1:" + e.port());
            assertThat(s.servers()).hasSize(1);
            assertThat(s.servers().get(0).totalConnections()).isEqualTo(1);
            assertThat(s.servers().get(0).bytesReceived()).isEqualTo(2); // "a\n"
            assertThat(s.totals().acceptedTotal()).isEqualTo(1);
        }
    }
}
