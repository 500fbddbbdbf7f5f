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
}
