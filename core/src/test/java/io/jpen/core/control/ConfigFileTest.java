package io.jpen.core.control;

import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Config files: whole or nothing, errors as file:line: reason, and write → load → write gives the same text. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigFileTest {
    @TempDir
    Path dir;
    private Backend a;
    private Backend b;
    private Engine engine;

    @BeforeEach
    void start() throws Exception {
        a = Backend.echo("a");
        b = Backend.echo("b");
        engine = Engines.start(UnaryOperator.identity(), a, b);
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        a.close();
        b.close();
    }

    private Reply run(String line) {
        return Engines.penctl(engine).execute(line);
    }

    private Reply load(Engine e, Path file) {
        return Engines.penctl(e).load(file);
    }

    @Test
    void writeThenLoadThenWriteGivesTheSameText() throws Exception {
        for (String c : List.of("hash", "weight", "idle_timeout 5", "idlers 2", "dummy", "keepalive", "tcp_nodelay",
                "tcp_fastclose up", "pending_max 7", "conn_max 900", "clients_max 100", "tracking 60", "blacklist 12",
                "timeout 4", "debug 1", "log " + dir.resolve("access.log"), "web_stats " + dir.resolve("s.html"),
                "server 1 max 5 hard 6 weight 2 prio 1 acl 3")) {
            assertThat(run(c).ok()).as(c).isTrue();
        }
        Path first = dir.resolve("first.pen");
        assertThat(run("write " + first).ok()).isTrue();
        String written = Files.readString(first);
        assertThat(written).contains("idle_timeout 5\n", "idlers 2\n", "\ndummy\n", "tcp_fastclose up\n",
                "server 1 address 127.0.0.1 port " + b.port() + " max 5 hard 6 weight 2 prio 1 acl 3\n");

        engine.close(); // its listen port is in the file; the new engine takes it over
        engine = Engines.start(UnaryOperator.identity(), a, b);
        assertThat(load(engine, first)).isEqualTo(Reply.EMPTY);
        Path second = dir.resolve("second.pen");
        assertThat(run("write " + second).ok()).isTrue();
        assertThat(Files.readString(second)).isEqualTo(written);
        // and loading it into the engine that is already in that state changes nothing
        assertThat(load(engine, second)).isEqualTo(Reply.EMPTY);
        assertThat(ConfigWriter.write(stateOf(engine), Engines.penctl(engine).daemon())).isEqualTo(written);
    }

    private static io.jpen.core.engine.EngineState stateOf(Engine e) {
        io.jpen.core.engine.EngineState[] s = new io.jpen.core.engine.EngineState[1];
        e.execute(state -> {
            s[0] = state;
            return Reply.EMPTY;
        });
        return s[0];
    }

    @Test
    void aSyntaxErrorRejectsTheWholeFileWithFileAndLine() throws Exception {
        Path conf = dir.resolve("bad.pen");
        Files.writeString(conf, "# comment\ntimeout 9\nblacklist soon\nhash\n");
        Reply r = load(engine, conf);
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).isEqualTo(conf + ":3: blacklist: 'soon' is not a number");
        assertThat(engine.settings()).isEqualTo(Settings.defaults());
    }

    @Test
    void aCommandThatFailsWhileApplyingRollsBackEveryEarlierLine() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        int before = engine.port();
        Path log = dir.resolve("access.log");
        Path conf = dir.resolve("bad.pen");
        Files.writeString(conf, "timeout 9\nhash\nserver 0 weight 4 blacklist 30\nlog " + log + "\nlisten 127.0.0.1:" + free
                + "\nweb_stats " + dir.resolve("s.html") + "\nserver 5 weight 1\n");
        Reply r = load(engine, conf);
        assertThat(r.text()).isEqualTo(conf + ":7: no server 5 (servers are 0-1; 2 adds one)");
        assertThat(engine.settings()).isEqualTo(Settings.defaults());
        assertThat(engine.servers().get(0).spec().weight()).isZero();
        assertThat(engine.servers().get(0).blacklisted(engine.clock().millis())).isFalse();
        assertThat(engine.accessLog().path()).isNull();
        assertThat(Engines.penctl(engine).daemon().statusFile()).isNull();
        assertThat(engine.port()).isEqualTo(before);
    }

    @Test
    void aServerAddedByARejectedFileIsTakenAwayAgain() throws Exception {
        Path conf = dir.resolve("adds.pen");
        Files.writeString(conf, "server 2 address 127.0.0.1 port 9\nserver 3 address 127.0.0.1 port 10\nbogus\n");
        Reply r = load(engine, conf);
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).isEqualTo(conf + ":3: do_cmd: ignoring command starting with 'bogus'");
        assertThat(engine.servers()).hasSize(2);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.pen");
        assertThat(load(engine, missing).text()).isEqualTo(missing + ": cannot read: no such file");
    }

    @Test
    void includesNestAndAFileIncludingItselfIsStopped() throws Exception {
        Path inner = dir.resolve("inner.pen");
        Path outer = dir.resolve("outer.pen");
        Files.writeString(inner, "timeout 8\n");
        Files.writeString(outer, "hash\ninclude " + inner + "\n");
        assertThat(load(engine, outer)).isEqualTo(Reply.EMPTY);
        assertThat(engine.settings().timeoutSeconds()).isEqualTo(8);
        assertThat(engine.settings().hash()).isTrue();

        Path loop = dir.resolve("loop.pen");
        Files.writeString(loop, "tracking 5\ninclude " + loop + "\n");
        Reply r = load(engine, loop);
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).startsWith(loop + ":2: " + loop + ":2: ").endsWith("includes nest deeper than " + ConfigFile.MAX_DEPTH);
        assertThat(engine.settings().trackingSeconds()).isZero();
    }

    @Test
    void aConfigWrittenForPenLoads() throws Exception {
        // What Debian's pen 0.34.1 writes with 'write' (its acl and control lines aside, which the acl feature owns).
        Path conf = dir.resolve("pen.cfg");
        Files.writeString(conf, "# Generated by pen 2026-11-25 17:31:05\n"
                + "# pen -f -X -u 'root' -F '/tmp/w.cfg' -C 127.0.0.1:17001 127.0.0.1:17000\n"
                + "no ascii\nblacklist 30\ndebug 0\nno hash\nno http\nno roundrobin\n"
                + "server 0 acl 0 address 127.0.0.1 port " + a.port() + " max 0 hard 0\n"
                + "server 1 acl 0 address 127.0.0.1 port " + b.port() + " max 5 hard 6\n"
                + "no stubborn\ntcp_fastclose off\nno tcp_nodelay\ntimeout 4\ntracking 0\nno weight\nno prio\n");
        assertThat(load(engine, conf)).isEqualTo(Reply.EMPTY);
        assertThat(engine.settings().timeoutSeconds()).isEqualTo(4);
        assertThat(engine.servers().get(1).spec().soft()).isEqualTo(5);
    }
}
