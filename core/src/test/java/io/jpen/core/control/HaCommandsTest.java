package io.jpen.core.control;

import io.jpen.core.model.Reply;
import io.jpen.core.console.Sampler;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.HashMethod;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import io.jpen.core.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** hash_method, health and role: the commands a pair of balancers behind keepalived needs, over the control port. */
@Timeout(60)
class HaCommandsTest {
    private static final String PEN_MODE = "no hash no roundrobin no stubborn no weight no prio\n";

    @RegisterExtension
    final Resources resources = new Resources();
    @TempDir
    Path dir;

    private int control(Engine e) {
        Engines.penctl(e).daemon().fileRoots(FileRoots.of(java.util.List.of(dir))); // where the control port may write files
        return resources.keep(ControlServer.start(Engines.penctl(e), new Endpoint.Tcp(null, 0), null)).port();
    }

    private Engine engine(Backend... backends) {
        return resources.keep(Engines.start(s -> s, backends));
    }

    @Test
    void hashMethodIsShownInModeAndSavedByWriteOnlyWhenItIsNotPensModulo() throws Exception {
        Engine e = engine(resources.keep(Backend.named("a")));
        int port = control(e);
        assertThat(ControlClient.send(port, "hash_method")).isEqualTo("modulo\n");
        assertThat(ControlClient.send(port, "mode")).isEqualTo(PEN_MODE);
        Path penLike = dir.resolve("pen-like.cfg");
        assertThat(ControlClient.send(port, "write " + penLike)).isEmpty();
        assertThat(Files.readString(penLike)).doesNotContain("hash_method");

        assertThat(ControlClient.send(port, "hash_method maglev")).isEmpty();
        assertThat(ControlClient.send(port, "hash_method")).isEqualTo("maglev\n");
        assertThat(ControlClient.send(port, "mode")).isEqualTo("no hash no roundrobin no stubborn no weight no prio hash_method maglev\n");
        Path written = dir.resolve("maglev.cfg");
        assertThat(ControlClient.send(port, "write " + written)).isEmpty();
        String text = Files.readString(written);
        assertThat(text).contains("\nhash_method maglev\n");

        // Another balancer loads it (without the first one's listen address, which is taken) and writes the same.
        Engine fresh = engine(resources.keep(Backend.named("b")));
        Path copy = dir.resolve("copy.cfg");
        Files.writeString(copy, text.replaceAll("(?m)^listen .*\n", ""));
        Reply loaded = Engines.penctl(fresh).load(copy);
        assertThat(loaded.ok()).as(loaded.text()).isTrue();
        assertThat(fresh.settings().hashMethod()).isEqualTo(HashMethod.MAGLEV);
        Path again = dir.resolve("again.cfg");
        assertThat(Engines.penctl(fresh).execute("write " + again).ok()).isTrue();
        assertThat(Files.readString(again).replaceAll("(?m)^listen .*\n", "")).isEqualTo(Files.readString(copy));

        assertThat(ControlClient.send(port, "hash_method modulo")).isEmpty();
        assertThat(ControlClient.send(port, "mode")).isEqualTo(PEN_MODE);
    }

    @Test
    void aBadHashMethodIsRefusedByNameAndChangesNothing() throws Exception {
        Engine e = engine(resources.keep(Backend.named("a")));
        int port = control(e);
        assertThat(ControlClient.send(port, "hash_method ring")).isEqualTo("hash_method takes modulo or maglev, not 'ring'\n");
        assertThat(ControlClient.send(port, "hash_method maglev modulo")).isEqualTo("hash_method takes modulo or maglev\n");
        assertThat(ControlClient.send(port, "no hash_method")).isEqualTo("do_cmd: ignoring command starting with 'no hash_method'\n");
        assertThat(e.settings()).isEqualTo(Settings.defaults());

        Path file = dir.resolve("bad.cfg");
        Files.writeString(file, "blacklist 9\nhash_method MAGLEV\n");
        Reply r = Engines.penctl(e).load(file);
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).isEqualTo(file + ":2: hash_method takes modulo or maglev, not 'MAGLEV'");
        assertThat(e.settings()).isEqualTo(Settings.defaults());
    }

    @Test
    void healthIsOkWhileTheBalancerListensAndAServerCanTakeClientsAndFailOtherwise() throws Exception {
        Engine e = engine(resources.keep(Backend.named("a")), resources.keep(Backend.named("b")));
        int port = control(e);
        assertThat(ControlClient.send(port, "health"))
                .isEqualTo("ok: listening on 127.0.0.1:" + e.port() + ", 2 of 2 servers can take clients\n");
        assertThat(ControlClient.send(port, "server 0 blacklist 60")).isEmpty();
        assertThat(ControlClient.send(port, "health"))
                .isEqualTo("ok: listening on 127.0.0.1:" + e.port() + ", 1 of 2 servers can take clients\n");
        assertThat(ControlClient.send(port, "server 1 blacklist 60")).isEmpty();
        assertThat(ControlClient.send(port, "health")).isEqualTo("fail: no server can take clients (0 of 2 servers in rotation)\n");
        assertThat(ControlClient.send(port, "health now")).isEqualTo("health takes no arguments\n");
        assertThat(ControlClient.send(port, "server 1 blacklist 0")).isEmpty();
        assertThat(ControlClient.send(port, "health")).startsWith("ok: ");
    }

    @Test
    void healthFailsBeforeTheListenerIsBound() {
        Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), List.of(ServerSpec.of("127.0.0.1", 9)),
                Settings.defaults()));
        resources.keep(e);
        assertThat(Engines.penctl(e).execute("health").text()).isEqualTo("fail: not listening on 127.0.0.1:0\n");
    }

    @Test
    void theRoleKeepalivedReportsIsShownWithSinceWhenInStatusAndSnapshotsButNotSaved() throws Exception {
        TestClock clock = new TestClock();
        Backend a = resources.keep(Backend.named("a"));
        Engine e = resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", a.port())), Settings.defaults()).withClock(clock)));
        int port = control(e);
        assertThat(ControlClient.send(port, "role")).isEqualTo("unknown\n");
        assertThat(ControlClient.send(port, "status")).contains("<p>High availability: role unknown, hash_method modulo</p>");

        long becameMaster = clock.millis();
        assertThat(ControlClient.send(port, "role MASTER")).isEmpty();
        String since = StatusPage.time(becameMaster);
        assertThat(ControlClient.send(port, "role")).isEqualTo("master since " + since + "\n");
        clock.advanceSeconds(30);
        assertThat(ControlClient.send(port, "role master")).as("the same role again keeps its time").isEmpty();
        assertThat(ControlClient.send(port, "role")).isEqualTo("master since " + since + "\n");
        assertThat(ControlClient.send(port, "status")).contains("<p>High availability: role master since " + since);

        var snapshot = new Sampler(e, 10, 10).sample();
        assertThat(snapshot.role().role()).isEqualTo("master");
        assertThat(snapshot.role().sinceMillis()).isEqualTo(becameMaster);
        assertThat(snapshot.events()).anySatisfy(ev -> {
            assertThat(ev.kind()).isEqualTo("role");
            assertThat(ev.message()).isEqualTo("this node is now master (was unknown)");
        });

        assertThat(ControlClient.send(port, "role leader")).isEqualTo("role takes master, backup or fault, not 'leader'\n");
        assertThat(ControlClient.send(port, "role backup fault")).isEqualTo("role takes master, backup or fault\n");
        assertThat(e.role().role()).isEqualTo("master");

        assertThat(ControlClient.send(port, "role backup")).isEmpty();
        assertThat(e.role().sinceMillis()).isEqualTo(becameMaster + 30_000);

        Path written = dir.resolve("jpen.cfg");
        assertThat(ControlClient.send(port, "write " + written)).isEmpty();
        assertThat(Files.readString(written)).doesNotContain("role");
    }
}
