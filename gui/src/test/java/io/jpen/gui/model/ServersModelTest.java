package io.jpen.gui.model;

import io.jpen.core.model.HostPort;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import io.jpen.gui.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jpen.gui.testing.Snapshots.server;
import static org.assertj.core.api.Assertions.assertThat;

class ServersModelTest {
    private final ServersModel model = new ServersModel(null, java.util.Map.of("127.0.0.1:9001", "beta"), new Notice(() -> 0));

    private static Snapshot with(Settings s, ServerView... servers) {
        return Snapshots.of(1, s, List.of(servers), List.of(), List.of(), 0);
    }

    @Test
    void rowsKeepTheirIdentityAndTheEmergencyServerStaysLast() {
        model.update(with(Settings.defaults(), server(0, "up", 1), server(1, "blacklisted", 0)));
        ServerRow first = model.rows().get(0);
        Settings withEmergency = Settings.defaults().withEmergency(new HostPort("127.0.0.1", 7000));
        model.update(with(withEmergency, server(0, "up", 2), server(1, "up", 0), server(2, "disabled", 0)));

        assertThat(model.rows()).extracting(ServerRow::index).containsExactly(0, 1, 2, ServerRow.EMERGENCY);
        assertThat(model.rows().get(0)).isSameAs(first);
        assertThat(first.connections()).isEqualTo(2);
        assertThat(model.rows()).extracting(ServerRow::state)
                .containsExactly(ServerRow.State.UP, ServerRow.State.UP, ServerRow.State.DISABLED, ServerRow.State.EMERGENCY);

        model.update(with(Settings.defaults(), server(0, "up", 0)));
        assertThat(model.rows()).extracting(ServerRow::index).containsExactly(0);
    }

    @Test
    void aServerWhoseLastConnectFailedIsFailingUntilOneWorks() {
        model.update(with(Settings.defaults(), counted(0, 10, 2))); // failures before the console came say nothing
        ServerRow row = model.rows().get(0);
        assertThat(row.state()).isEqualTo(ServerRow.State.UP);
        model.update(with(Settings.defaults(), counted(0, 11, 3)));
        assertThat(row.state()).isEqualTo(ServerRow.State.FAILING);
        assertThat(row.state().tone()).isEqualTo(Tone.WARNING);
        model.update(with(Settings.defaults(), counted(0, 11, 3)));
        assertThat(row.state()).isEqualTo(ServerRow.State.FAILING);
        model.update(with(Settings.defaults(), counted(0, 12, 3)));
        assertThat(row.state()).isEqualTo(ServerRow.State.UP);
        assertThat(row.state().tone()).isEqualTo(Tone.OK);
    }

    @Test
    void eachStateHasItsToneFromOneMapping() {
        assertThat(ServerRow.State.of("up", false).tone()).isEqualTo(Tone.OK);
        assertThat(ServerRow.State.of("up", true).tone()).isEqualTo(Tone.WARNING);
        assertThat(ServerRow.State.of("blacklisted", true).tone()).isEqualTo(Tone.DANGER);
        assertThat(ServerRow.State.of("disabled", false).tone()).isEqualTo(Tone.MUTED);
    }

    @Test
    void serversTheSessionNamesShowTheirName() {
        model.update(with(Settings.defaults(), server(0, "up", 0), server(1, "up", 0)));
        assertThat(model.rows()).extracting(ServerRow::name).containsExactly("", "beta");
        assertThat(model.namedProperty().get()).isTrue();
    }

    private static ServerView counted(int index, long total, long failures) {
        return new ServerView(index, "127.0.0.1", 9000 + index, "up", 0, 0, 0, 0, 0, 0, -1, total, failures, 0, 0, 0, 0, 0);
    }

    private static ServerView lifecycle(int index, String state, String reason, long drainDeadline, int slowstart, double share) {
        return new ServerView(index, "127.0.0.1", 9000 + index, state, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                reason, 1, drainDeadline, "http /healthz", 0, slowstart, share, false, "HTTP 503 from /healthz", 1, 1.25,
                1, 0.001, List.of());
    }

    @Test
    void everyStateHasItsToneAndTheStateColumnSaysWhy() {
        model.update(with(Settings.defaults(),
                lifecycle(0, "down", "HTTP 503 from /healthz", 0, 0, 1),
                lifecycle(1, "drain", "drained by operator", 1 + 12_000, 0, 1),
                lifecycle(2, "maint", "taken out for maintenance by operator", 0, 0, 1),
                lifecycle(3, "up", "", 0, 10, 0.4)));
        assertThat(model.rows()).extracting(ServerRow::state)
                .containsExactly(ServerRow.State.DOWN, ServerRow.State.DRAIN, ServerRow.State.MAINT, ServerRow.State.UP);
        assertThat(model.rows()).extracting(ServerRow::stateText).containsExactly(
                "down: HTTP 503 from /healthz", "drain 12 s: drained by operator",
                "maint: taken out for maintenance by operator", "up (slow start 40 %)");
        assertThat(model.rows()).extracting(r -> r.state().tone()).containsExactly(Tone.DANGER, Tone.WARNING, Tone.MUTED, Tone.OK);
        assertThat(model.rows().get(0).check()).isEqualTo("http /healthz");
        assertThat(model.rows().get(0).lastCheck()).isEqualTo("failed: HTTP 503 from /healthz (1.3 ms)");
    }

    @Test
    void theOverviewMarksAChangeOfStateOnTheNextPointOfThatServer() {
        OverviewModel overview = new OverviewModel(List.of());
        overview.update(Snapshots.of(1_000, Settings.defaults(), List.of(server(0, "up", 0), server(1, "up", 0)), List.of(), List.of(), 0));
        overview.update(Snapshots.of(1_250, Settings.defaults(), List.of(lifecycle(0, "down", "HTTP 503 from /healthz", 0, 0, 1), server(1, "up", 0)), List.of(), List.of(), 0));
        overview.update(Snapshots.of(2_100, Settings.defaults(), List.of(lifecycle(0, "down", "HTTP 503 from /healthz", 0, 0, 1), server(1, "up", 0)), List.of(), List.of(), 0));
        var points0 = overview.perServerConnections().get(0).getData();
        assertThat(points0).hasSize(2);
        assertThat(points0.get(0).getExtraValue()).isNull();
        assertThat(points0.get(1).getExtraValue()).isEqualTo(new OverviewModel.StateMark(0, "up", "down", "HTTP 503 from /healthz"));
        assertThat(((OverviewModel.StateMark) points0.get(1).getExtraValue()).text()).isEqualTo("server 0 down: HTTP 503 from /healthz (was up)");
        assertThat(overview.perServerConnections().get(1).getData()).allMatch(p -> p.getExtraValue() == null);
        assertThat(overview.throughput().get(0).getData().get(1).getExtraValue()).isNotNull();
        assertThat(((OverviewModel.StateMark) points0.get(1).getExtraValue()).tone()).isEqualTo(Tone.DANGER);
    }
}
