package io.jpen.core.control;

import io.jpen.core.console.Sampler;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.ClientView;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code client A forget|pin N|unpin} over the control port, as Debian's penctl sends them, against a balancer in
 * front of two real backends: what the client's next connection reaches proves what the command did.
 */
@Timeout(60)
class ClientCommandsTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private ControlServer control;

    @AfterEach
    void stopControl() {
        if (control != null) control.close();
    }

    private Engine balancer(java.util.function.UnaryOperator<io.jpen.core.model.Settings> settings) throws java.io.IOException {
        if (control != null) control.close();
        Engine e = resources.keep(Engines.start(settings, resources.keep(Backend.named("a")), resources.keep(Backend.named("b"))));
        control = ControlServer.start(Engines.penctl(e), new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0), null);
        return e;
    }

    private String penctl(String command) {
        return ControlClient.send(control.port(), command);
    }

    private static String other(String server) {
        return server.equals("a") ? "b" : "a";
    }

    @Test
    void forgettingAClientMakesItsNextConnectionChooseAfresh() throws Exception {
        Engine e = balancer(s -> s);
        String tracked = fetch("127.0.0.5", e.port());
        assertThat(fetch("127.0.0.5", e.port())).as("tracking sends it back").isEqualTo(tracked);

        assertThat(penctl("client 127.0.0.5 forget")).isEqualTo("Forgot client 127.0.0.5\n");

        // round robin's next choice after the one tracking remembered is the other server
        assertThat(fetch("127.0.0.5", e.port())).as("the first connection after forget").isEqualTo(other(tracked));
    }

    @Test
    void aPinnedClientGoesToItsServerInEveryModeAndFallsOverOnlyWhileItCannotTakeIt() throws Exception {
        Engine e = balancer(s -> s.withRoundrobin(true));
        String first = fetch("127.0.0.6", e.port());
        String pinned = other(first);
        int target = pinned.equals("a") ? 0 : 1;

        assertThat(penctl("client 127.0.0.6 pin " + target)).isEqualTo("Client 127.0.0.6 pinned to server " + target + "\n");
        for (int i = 0; i < 4; i++) {
            assertThat(fetch("127.0.0.6", e.port())).as("connection %d after the pin, round robin on", i).isEqualTo(pinned);
        }

        assertThat(penctl("server " + target + " maint")).isEmpty();
        assertThat(fetch("127.0.0.6", e.port())).as("while its server is in maintenance").isEqualTo(first);
        assertThat(penctl("server " + target + " ready")).isEmpty();
        assertThat(fetch("127.0.0.6", e.port())).as("back once it can take clients").isEqualTo(pinned);

        assertThat(penctl("client 127.0.0.6")).contains("pinned to server " + target);
        assertThat(penctl("status")).as("the status page's active clients").contains("(pinned to " + target + ")");
        assertThat(penctl("client 127.0.0.6 unpin")).isEqualTo("Client 127.0.0.6 no longer pinned (was server " + target + ")\n");
        java.util.Set<String> reached = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) reached.add(fetch("127.0.0.6", e.port()));
        assertThat(reached).as("round robin decides again").containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void badClientCommandsSayWhatIsWrongAndChangeNothing() throws Exception {
        Engine e = balancer(s -> s);
        String tracked = fetch("127.0.0.7", e.port());
        assertThat(penctl("client 127.0.0.7 pin 7")).isEqualTo("client 127.0.0.7 pin: no server 7 (servers are 0-1)\n");
        assertThat(penctl("client 127.0.0.7 pin one")).isEqualTo("client 127.0.0.7 pin: 'one' is not a number\n");
        assertThat(penctl("client 127.0.0.7 pin")).startsWith("client 127.0.0.7 pin takes a server number");
        assertThat(penctl("client db.example forget")).isEqualTo("client: 'db.example' is not an IP address\n");
        assertThat(penctl("client 127.0.0.99 forget")).isEqualTo("client 127.0.0.99 is not in the client table\n");
        assertThat(penctl("client 127.0.0.7 unpin")).isEqualTo("client 127.0.0.7 is not pinned\n");
        assertThat(penctl("client 127.0.0.7 evict")).isEqualTo("client 127.0.0.7: unknown action 'evict' (known: forget, pin N, unpin)\n");
        assertThat(penctl("client")).startsWith("client takes an IP address");
        assertThat(e.clientTable().pins()).isEmpty();
        assertThat(fetch("127.0.0.7", e.port())).as("still tracked").isEqualTo(tracked);
    }

    @Test
    void writeSavesPinsButNotWhatTrackingLearnedAndTheFileBringsThePinsBack(@TempDir Path dir) throws Exception {
        Engine e = balancer(s -> s);
        fetch("127.0.0.8", e.port());
        assertThat(penctl("client 127.0.0.9 pin 1")).contains("pinned");
        assertThat(penctl("client ::1 pin 0")).contains("pinned");
        Path file = dir.resolve("jpen.cfg");
        Engines.penctl(e).execute("write " + file);
        String written = Files.readString(file);
        assertThat(written).contains("client 127.0.0.9 pin 1\n", "client 0:0:0:0:0:0:0:1 pin 0\n").doesNotContain("127.0.0.8");

        // as a restarted balancer reads it (the first one still holds the listen address the file names)
        Files.writeString(file, written.replaceFirst("listen [^\n]*\n", ""));
        Engine fresh = balancer(s -> s);
        assertThat(Engines.penctl(fresh).execute("include " + file).ok()).isTrue();
        assertThat(fresh.clientTable().pins()).containsEntry("127.0.0.9", 1).containsEntry("0:0:0:0:0:0:0:1", 0);
        assertThat(fetch("127.0.0.9", fresh.port())).isEqualTo("b");
    }

    @Test
    void aRejectedConfigFileTakesItsPinsAndForgetsBack(@TempDir Path dir) throws Exception {
        Engine e = balancer(s -> s);
        String tracked = fetch("127.0.0.10", e.port());
        Path file = dir.resolve("bad.cfg");
        Files.writeString(file, "client 127.0.0.11 pin 0\nclient 127.0.0.10 forget\nfrobnicate\n");
        io.jpen.core.model.Reply r = Engines.penctl(e).execute("include " + file);
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).contains("frobnicate");
        assertThat(e.clientTable().pins()).isEmpty();
        assertThat(fetch("127.0.0.10", e.port())).as("its entry is back").isEqualTo(tracked);
    }

    @Test
    void theSnapshotListsEachClientWithItsServerLiveConnectionsBytesAndPin() throws Exception {
        Engine e = balancer(s -> s);
        fetch("127.0.0.12", e.port());
        penctl("client 127.0.0.13 pin 1");
        try (Socket held = new Socket()) {
            held.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.12"), 0));
            held.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port()));
            held.getOutputStream().write("hello".getBytes());
            Sampler sampler = new Sampler(e, 100, 10);
            await().atMost(10, TimeUnit.SECONDS).until(() -> client(sampler.sample(), "127.0.0.12").connections() == 1
                    && client(sampler.sample(), "127.0.0.12").bytesUp() >= 5);
            Snapshot s = sampler.sample();
            ClientView c = client(s, "127.0.0.12");
            assertThat(c.connects()).isEqualTo(2);
            assertThat(c.bytesDown()).as("the first connection's reply").isPositive();
            assertThat(c.server()).isBetween(0, 1);
            assertThat(c.pinned()).isFalse();
            assertThat(c.lastSeenMillis()).isPositive();
            ClientView pinned = client(s, "127.0.0.13");
            assertThat(pinned.pinnedServer()).isEqualTo(1);
            assertThat(pinned.connects()).isZero();
            assertThat(s.clients().get(0).address()).as("busiest first").isEqualTo("127.0.0.12");
            assertThat(s.clientsTruncated()).isFalse();
            assertThat(new Sampler(e, 1, 10).sample().clientsTruncated()).as("bounded like connections").isTrue();
        }
    }

    private static ClientView client(Snapshot s, String address) {
        return s.clients().stream().filter(c -> c.address().equals(address)).findFirst().orElseThrow();
    }
}
