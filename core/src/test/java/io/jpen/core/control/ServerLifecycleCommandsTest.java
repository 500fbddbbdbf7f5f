package io.jpen.core.control;

import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineState;
import io.jpen.core.model.HealthCheck;
import io.jpen.core.select.Server;
import io.jpen.core.select.ServerState;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health and lifecycle commands as text: what each accepts, what {@code servers} and {@code write} show, and that
 * every malformed form answers with what is wrong and changes nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerLifecycleCommandsTest {
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
        try {
            return Engines.penctl(engine).execute(line);
        } catch (IllegalArgumentException e) {
            return Reply.error(e.getMessage()); // what the control port answers for a line that does not parse
        }
    }

    private String everything() {
        return ConfigWriter.write(stateOf(engine), Engines.penctl(engine).daemon()) + run("servers").text() + run("health_interval").text()
                + run("health_timeout").text() + run("health_rise").text() + run("health_fall").text();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "server 0 check|",
            "server 0 check ftp|server 0 check: unknown kind 'ftp' (tcp, http PATH [CODE], send TEXT expect TEXT, off)",
            "server 0 check http|server 0 check http takes a path and optionally a status",
            "server 0 check http healthz|server 0 check http: the path must start with /, not 'healthz'",
            "server 0 check http /healthz 999|server 0 check http: status 999 is not an HTTP status (100-599)",
            "server 0 check http /healthz ok|server 0 check http: 'ok' is not a number",
            "server 0 check http /a /b /c|server 0 check http takes a path and optionally a status",
            "server 0 check tcp now|server 0 check tcp takes no arguments",
            "server 0 check off please|server 0 check off takes no arguments",
            "server 0 check send PING|server 0 check send takes TEXT expect TEXT",
            "server 0 check send PING want PONG|server 0 check send takes TEXT expect TEXT",
            "server 0 check send PING expect \"\"|server 0 check send: the expected text must not be empty",
            "server 0 check send \"PING expect PONG|server 0 check: a quoted text has no closing \"",
            "server 0 check send \"PI\\qNG\" expect PONG|server 0 check: unknown escape \\q in a quoted text",
            "server 0 check send \"\\x8\" expect PONG|server 0 check: \\x in a quoted text needs two hex digits",
            "server 0 check send \"a\"b expect PONG|server 0 check: a quoted text must be followed by a space",
            "server 9 check tcp|no server 9 (servers are 0-1)",
            "server 2 check tcp|no server 2 (servers are 0-1)",
            "server x check tcp|server: 'x' is not a number",
            "server 0 drain soon|server 0 drain: 'soon' is not a number",
            "server 0 drain 0|server 0 drain: 0 is below the minimum 1",
            "server 0 drain 5 now|server 0 drain takes at most a number of seconds",
            "server 0 drain 100000|server 0 drain: 100000 is above the maximum 86400 seconds",
            "server 0 maint now|server 0 maint takes no arguments",
            "server 0 ready 5|server 0 ready takes no arguments",
            "server 0 close all|server 0 close takes no arguments",
            "server 7 drain|no server 7 (servers are 0-1)",
            "server 7 maint|no server 7 (servers are 0-1)",
            "server 7 ready|no server 7 (servers are 0-1)",
            "server 7 close|no server 7 (servers are 0-1)",
            "server 0 slowstart|server 0: 'slowstart' has no value",
            "server 0 slowstart -3|slowstart: -3 is below the minimum 0",
            "server 0 slowstart 100000|slowstart 100000 out of range 0-86400 seconds",
            "server 0 check_port 70000|check_port 70000 out of range 0-65535",
            "server 0 check_port x|check_port: 'x' is not a number",
            "server 5 slowstart 10|no server 5 (servers are 0-1; 2 adds one)",
            "server 2 slowstart 10|server 2: a new server needs an address and a port",
            "server 0 weight 2 drain 5|server 0: unknown field 'drain' (drain comes right after the server number)",
            "health_interval 0|health_interval must be 0.05-86400 seconds, not 0",
            "health_interval soon|health_interval: 'soon' is not a number of seconds (e.g. 2 or 0.5)",
            "health_interval 0.0001|health_interval: '0.0001' is not a number of seconds (e.g. 2 or 0.5)",
            "health_interval 1 2|health_interval takes at most a number of seconds",
            "health_timeout -1|health_timeout: '-1' is not a number of seconds (e.g. 2 or 0.5)",
            "health_timeout 0.01|health_timeout must be 0 (the connect timeout) or 0.05-86400 seconds, not 0.01",
            "health_rise 0|health_rise: 0 is below the minimum 1",
            "health_fall x|health_fall: 'x' is not a number",
            "health_fall 5000|health_fall must be 1-1000, not 5000",
    })
    void aMalformedCheckOrStateCommandSaysWhatIsWrongAndChangesNothing(String line, String message) {
        if (message == null) { // the query form: answers, changes nothing
            assertThat(run(line)).isEqualTo(Reply.ok("off\n"));
            return;
        }
        String before = everything();
        Reply r = run(line);
        assertThat(r.ok()).as(line).isFalse();
        assertThat(r.text()).as(line).startsWith(message);
        assertThat(r.text()).doesNotContain("Exception", "java.");
        assertThat(everything()).as("nothing changed by '%s'", line).isEqualTo(before);
    }

    @Test
    void aCheckForAnUnusedSlotIsRefused() {
        assertThat(run("server 1 port 0").ok()).isTrue(); // an unused slot, as Pen prints them
        Reply r = run("server 1 check tcp");
        assertThat(r.text()).isEqualTo("server 1 is an unused slot (port 0): nothing to check");
        assertThat(engine.servers().get(1).options().check()).isNull();
    }

    @Test
    void serversLinesArePensUntilALifecycleFeatureIsUsedThenEveryLineEndsWithItsState() {
        String pen = run("servers").text();
        assertThat(pen).doesNotContain("state");
        assertThat(pen.lines()).allMatch(l -> l.matches("\\d+ addr \\S+ port \\d+ conn \\d+ max \\d+ hard \\d+ weight \\d+ prio \\d+ sx \\d+ rx \\d+"));
        assertThat(run("server 0 blacklist 30").ok()).isTrue();
        assertThat(run("servers").text()).doesNotContain("state"); // Pen's own blacklist keeps Pen's lines

        assertThat(run("server 1 drain 60").ok()).isTrue();
        assertThat(run("server 0 check http /healthz 204").ok()).isTrue();
        assertThat(run("server 0 check_port " + b.port() + " slowstart 10").ok()).isTrue();
        List<String> lines = run("servers").text().lines().toList();
        assertThat(lines.get(0)).matches("0 addr 127\\.0\\.0\\.1 port " + a.port()
                + " conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0 state blacklisted left \\d+ check http /healthz 204 check_port "
                + b.port() + " slowstart 10");
        assertThat(lines.get(1)).matches("1 addr 127\\.0\\.0\\.1 port " + b.port()
                + " conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0 state drain left (59|60)");
        assertThat(run("server 0 check").text()).isEqualTo("http /healthz 204\n");
    }

    @Test
    void writeSavesChecksSlowStartAndMaintenanceButNotADrainAndReadsBackTheSame() throws Exception {
        String plain = ConfigWriter.write(stateOf(engine), Engines.penctl(engine).daemon());
        for (String c : List.of("health_interval 0.5", "health_timeout 1.25", "health_rise 3", "health_fall 4",
                "server 0 check send \"HELLO \\\"you\\\"\\r\\n\\x01\" expect \"+OK ready\"",
                "server 0 check_port " + b.port(), "server 0 slowstart 30", "server 1 check http /health?x=1 204",
                "server 1 maint", "server 0 drain")) {
            assertThat(run(c).ok()).as(c).isTrue();
        }
        HealthCheck saved = engine.servers().get(0).options().check();
        assertThat(saved.send()).isEqualTo("HELLO \"you\"\r\n\u0001");
        assertThat(saved.expect()).isEqualTo("+OK ready");
        Path file = dir.resolve("first.pen");
        assertThat(run("write " + file).ok()).isTrue();
        String written = Files.readString(file);
        assertThat(written).startsWith(plain.substring(0, plain.indexOf("server 0 ")));
        assertThat(written).contains(
                "server 0 address 127.0.0.1 port " + a.port() + " max 0 hard 0 weight 0 prio 0 check_port " + b.port() + " slowstart 30\n",
                "health_interval 0.5\nhealth_timeout 1.25\nhealth_rise 3\nhealth_fall 4\n",
                "server 0 check send \"HELLO \\\"you\\\"\\r\\n\\x01\" expect \"+OK ready\"\n",
                "server 1 check http /health?x=1 204\nserver 1 maint\n");
        assertThat(written).doesNotContain("drain");

        engine.close();
        engine = Engines.start(UnaryOperator.identity(), a, b);
        assertThat(Engines.penctl(engine).load(file)).isEqualTo(Reply.EMPTY);
        assertThat(engine.servers().get(0).options().check()).isEqualTo(saved);
        assertThat(engine.servers().get(1).state(engine.clock().millis())).isEqualTo(ServerState.MAINT);
        assertThat(engine.servers().get(0).state(engine.clock().millis())).isEqualTo(ServerState.UP);
        assertThat(ConfigWriter.write(stateOf(engine), Engines.penctl(engine).daemon())).isEqualTo(written);
    }

    @Test
    void readyAfterAFileThatFailsHalfWayIsAsBefore() throws Exception {
        Path conf = dir.resolve("bad.pen");
        Files.writeString(conf, "health_fall 7\nserver 0 maint\nserver 1 check tcp\nserver 0 slowstart 5\nserver 4 check tcp\n");
        Reply r = Engines.penctl(engine).load(conf);
        assertThat(r.text()).isEqualTo(conf + ":5: no server 4 (servers are 0-1)");
        Server s0 = engine.servers().get(0);
        assertThat(s0.admin()).isEqualTo(Server.Admin.READY);
        assertThat(s0.options()).isEqualTo(io.jpen.core.model.ServerOptions.NONE);
        assertThat(engine.servers().get(1).options().check()).isNull();
        assertThat(engine.healthSettings().fall()).isEqualTo(3);
    }

    @Test
    void closeAnswersHowManyConnectionsItClosed() {
        assertThat(run("server 1 close")).isEqualTo(Reply.ok("Forcibly closing 0 connections of server 1\n"));
    }

    static EngineState stateOf(Engine e) {
        EngineState[] s = new EngineState[1];
        e.execute(state -> {
            s[0] = state;
            return Reply.EMPTY;
        });
        return s[0];
    }
}
