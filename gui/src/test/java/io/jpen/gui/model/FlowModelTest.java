package io.jpen.gui.model;

import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import io.jpen.gui.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.jpen.gui.testing.Snapshots.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FlowModelTest {
    private final ServersModel servers = new ServersModel(null, Map.of("127.0.0.1:9000", "alpha"), new Notice(() -> 0));
    private final FlowModel flow = new FlowModel();

    private void tick(ServerView... views) {
        Snapshot s = Snapshots.of(1, Settings.defaults().withRoundrobin(true), List.of(views), List.of(), List.of(), 0);
        servers.update(s);
        flow.states(s, servers.rows());
    }

    @Test
    void eachServerHasItsNameStateAndTheToneOfItsState() {
        tick(server(0, "up", 3), server(1, "blacklisted", 0), server(2, "disabled", 0));
        assertThat(flow.servers()).extracting(n -> n.titleProperty().get()).containsExactly("0 · alpha", "server 1", "server 2");
        assertThat(flow.servers()).extracting(n -> n.toneProperty().get()).containsExactly(Tone.OK, Tone.DANGER, Tone.MUTED);
        assertThat(flow.servers().get(0).detailProperty().get()).isEqualTo("up · 3 conn");
        assertThat(flow.balancerDetailProperty().get()).isEqualTo("127.0.0.1:8080 · round robin");

        tick(server(0, "up", 3));
        assertThat(flow.servers()).hasSize(1);
    }

    @Test
    void edgesAreAsWideAsTheSquareRootOfTheirShareOfTheBusiestAndIdleOnesAreNone() {
        tick(server(0, "up", 1), server(1, "up", 1), server(2, "up", 0));
        flow.rates(1_000_000, 3, new double[]{1_000_000, 250_000, 10});
        assertThat(flow.clientShareProperty().get()).isEqualTo(1.0);
        assertThat(flow.servers().get(0).shareProperty().get()).isEqualTo(1.0);
        assertThat(flow.servers().get(1).shareProperty().get()).isCloseTo(0.5, within(1e-9));
        assertThat(flow.servers().get(2).shareProperty().get()).as("a trickle is idle").isZero();
        assertThat(flow.clientDetailProperty().get()).isEqualTo("0 connections · 3.0/s new");
    }
}
