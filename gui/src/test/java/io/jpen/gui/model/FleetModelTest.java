package io.jpen.gui.model;

import io.jpen.core.api.client.ssh.HostKeyQuestion;
import io.jpen.core.api.client.ssh.SshClient;
import io.jpen.gui.app.BalancerSpec;
import io.jpen.gui.app.Sessions;
import io.jpen.gui.fx.FxThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How a fleet opens its balancers: each on its own, one not answering yet stays and is retried, one refused says why. */
@Timeout(60)
class FleetModelTest {

    @Test
    void aBalancerNotAnsweringYetStaysOutOfContactAndOneThatCannotBeOpenedSaysWhy() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (FleetModel fleet = new FleetModel(new FxThread(Runnable::run))) {
            BalancerSpec quiet = BalancerSpec.attach("http://127.0.0.1:" + closed).withToken("t");
            BalancerSpec refused = BalancerSpec.attach("ssh://nobody@127.0.0.1:1?api=9091");
            FleetMember q = fleet.open(quiet, () -> Sessions.openInFleet(quiet, SshClient.system(), HostKeyQuestion.REFUSE));
            FleetMember r = fleet.open(refused, () -> Sessions.openInFleet(refused, SshClient.system().withConnectTimeout(java.time.Duration.ofSeconds(2)),
                    HostKeyQuestion.REFUSE));

            await().atMost(30, TimeUnit.SECONDS).until(() -> q.phaseProperty().get() == FleetMember.Phase.LIVE);
            q.check();
            assertThat(q.inContactProperty().get()).isFalse();
            assertThat(q.problemProperty().get()).startsWith("out of contact");
            assertThat(q.healthProperty().get()).isEqualTo(Tone.DANGER);

            await().atMost(30, TimeUnit.SECONDS).until(() -> r.phaseProperty().get() == FleetMember.Phase.FAILED);
            assertThat(r.problemProperty().get()).contains("cannot reach ssh://nobody@127.0.0.1:1");
            assertThat(fleet.specs()).containsExactly(quiet, refused);

            fleet.remove(r);
            assertThat(fleet.specs()).containsExactly(quiet);
        }
    }

    @Test
    void aBalancerThatFailsToOpenForAnUnforeseenReasonSaysSoInWordsWithoutJavasNames() throws Exception {
        try (FleetModel fleet = new FleetModel(new FxThread(Runnable::run))) {
            FleetMember npe = fleet.open(null, () -> {
                throw new NullPointerException();
            });
            FleetMember wrapped = fleet.open(null, () -> {
                throw new java.util.concurrent.CompletionException(new java.net.ConnectException("Connection refused"));
            });
            FleetMember own = fleet.open(null, () -> {
                throw new IllegalArgumentException("cannot attach to http://127.0.0.1:9: connection refused by 127.0.0.1:9");
            });
            await().atMost(10, TimeUnit.SECONDS).until(() -> java.util.stream.Stream.of(npe, wrapped, own)
                    .allMatch(m -> m.phaseProperty().get() == FleetMember.Phase.FAILED));
            assertThat(npe.problemProperty().get()).isEqualTo("an unexpected failure");
            assertThat(wrapped.problemProperty().get()).isEqualTo("Connection refused"); // the cause's own words, not the wrapper's class
            assertThat(own.problemProperty().get()).isEqualTo("cannot attach to http://127.0.0.1:9: connection refused by 127.0.0.1:9");
        }
    }

    @Test
    void serversAreCountedByStateThroughTheConsolesOneMappingAndTheWorstDecidesTheTone() {
        var up = server(0, "up");
        var black = server(1, "blacklisted");
        var drain = server(2, "drain");
        var maint = server(3, "maint");
        var unused = server(4, "disabled");
        var counts = ServerStates.count(java.util.List.of(up, black, drain, up, unused));
        assertThat(ServerStates.summary(counts)).isEqualTo("2 up · 1 blacklisted · 1 drain");
        assertThat(ServerStates.tone(counts)).isEqualTo(Tone.DANGER);
        assertThat(ServerStates.tone(ServerStates.count(java.util.List.of(up, drain)))).isEqualTo(Tone.WARNING);
        assertThat(ServerStates.tone(ServerStates.count(java.util.List.of(up, maint)))).as("maintenance is on purpose").isEqualTo(Tone.OK);
        assertThat(ServerStates.tone(ServerStates.count(java.util.List.of(maint, drain)))).as("none up to take clients").isEqualTo(Tone.DANGER);
        assertThat(ServerStates.summary(ServerStates.count(java.util.List.of(unused)))).isEqualTo("no servers");
    }

    private static io.jpen.core.model.ServerView server(int i, String state) {
        return new io.jpen.core.model.ServerView(i, "127.0.0.1", 8000 + i, state, 0, 0, 0, 0, 1, 0, -1, 0, 0, 0, 0, 0, 0, 0);
    }
}
