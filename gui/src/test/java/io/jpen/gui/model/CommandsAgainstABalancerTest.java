package io.jpen.gui.model;

import io.jpen.core.control.Penctl;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The view models' commands, run by a real in-process balancer (without a window). */
@Timeout(30)
class CommandsAgainstABalancerTest {
    private TestBackend a;
    private TestBackend b;
    private Engine engine;
    private LocalConsole console;
    private Commands commands;

    @BeforeEach
    void start() throws IOException {
        a = new TestBackend("a", TestBackend.Mode.HOLD);
        b = new TestBackend("b", TestBackend.Mode.HOLD);
        engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", a.port()), ServerSpec.of("127.0.0.1", b.port())), Settings.defaults()));
        engine.start();
        console = new LocalConsole(new Penctl(engine), Duration.ofMillis(100), 100);
        commands = new Commands(console, new FxThread(Runnable::run));
    }

    @AfterEach
    void stop() throws IOException {
        console.close();
        engine.close();
        a.close();
        b.close();
    }

    @Test
    void editingAServerChangesItWholeAndABadEditChangesNothing() throws Exception {
        ServersModel servers = servers();
        ServerEdit form = servers.edit(servers.rows().get(1));
        form.softProperty().set(5);
        form.hardProperty().set(7);
        form.weightProperty().set(3);
        form.prioProperty().set(2);
        assertThat(form.save()).isTrue();
        String line = "server 1 address 127.0.0.1 port " + b.port() + " max 5 hard 7 weight 3 prio 2";
        assertThat(replyTo(line).ok()).isTrue();
        ServerSpec spec = engine.servers().get(1).spec();
        assertThat(spec).isEqualTo(new ServerSpec("127.0.0.1", b.port(), 5, 7, 3, 2, -1));

        ServerEdit bad = servers.edit(servers.rows().get(1));
        bad.addressProperty().set("no-such-host.invalid");
        bad.portProperty().set(99);
        assertThat(bad.save()).isTrue();
        assertThat(replyTo("server 1 address no-such-host.invalid port 99 max 0 hard 0 weight 0 prio 0").ok()).isFalse();
        assertThat(engine.servers().get(1).spec()).isEqualTo(spec);
        assertThat(commands.transcript()).extracting(Commands.Entry::line)
                .containsExactly(line, "server 1 address no-such-host.invalid port 99 max 0 hard 0 weight 0 prio 0");
    }

    @Test
    void aFormThatCannotBeSavedSaysWhyAndSendsNothing() throws Exception {
        ServersModel servers = servers();
        ServerEdit form = servers.edit(servers.rows().get(0));
        form.addressProperty().set("two words");
        assertThat(form.errorProperty().get()).contains("one word");
        assertThat(form.save()).isFalse();
        assertThat(servers.notice().textProperty().get()).contains("one word");
        assertThat(commands.transcript()).isEmpty();
    }

    @Test
    void aWeightEditSaysTheWeightIsIgnoredUntilWeightSelectionIsOn() throws Exception {
        ServersModel servers = servers();
        ServerEdit form = servers.edit(servers.rows().get(0));
        assertThat(form.weightHintProperty().get()).contains("ignored until weight selection is on");
        form.weightProperty().set(5);
        form.save();
        waitUntil(() -> servers.notice().textProperty().get().contains("takes effect once weight selection is on"));
        assertThat(engine.servers().get(0).spec().weight()).isEqualTo(5);

        new ModesModel(commands).algorithm(ModesModel.Algorithm.WEIGHT);
        waitUntil(() -> engine.settings().weight());
        waitUntil(() -> console.latest().settings().weight());
        servers.update(console.latest());
        assertThat(servers.edit(servers.rows().get(0)).weightHintProperty().get()).isEmpty();
    }

    @Test
    void blacklistingAndReEnablingAServer() throws Exception {
        ServersModel servers = servers();
        servers.blacklist(0, 60);
        assertThat(replyTo("server 0 blacklist 60").ok()).isTrue();
        assertThat(engine.servers().get(0).blacklisted(System.currentTimeMillis())).isTrue();
        servers.enable(0);
        assertThat(replyTo("server 0 blacklist 0").ok()).isTrue();
        assertThat(engine.servers().get(0).blacklisted(System.currentTimeMillis())).isFalse();
    }

    /** A servers model with the balancer's servers in it. */
    private ServersModel servers() throws InterruptedException {
        ServersModel servers = new ServersModel(commands, java.util.Map.of(), new Notice(System::currentTimeMillis));
        waitUntil(() -> console.latest() != null);
        servers.update(console.latest());
        return servers;
    }

    /** The reply to the command line sent from the model (waits for it). */
    private Reply replyTo(String line) throws InterruptedException {
        waitUntil(() -> commands.transcript().stream().anyMatch(e -> e.line().equals(line) && e.reply() != null));
        return commands.transcript().stream().filter(e -> e.line().equals(line)).findFirst().orElseThrow().reply();
    }

    @Test
    void drainMaintenanceReadyAndCloseAllFromTheServersView() throws Exception {
        ServersModel servers = servers();
        int index;
        try (java.net.Socket held = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), engine.port())) {
            waitUntil(() -> engine.servers().get(0).connections() + engine.servers().get(1).connections() == 1);
            index = engine.servers().get(0).connections() == 1 ? 0 : 1;
            servers.drain(index, 30);
            assertThat(replyTo("server " + index + " drain 30").ok()).isTrue();
            assertThat(engine.servers().get(index).admin()).isEqualTo(io.jpen.core.select.Server.Admin.DRAIN);
            assertThat(engine.servers().get(index).drainDeadlineMillis()).isPositive();
            servers.maintenance(index);
            assertThat(replyTo("server " + index + " maint").ok()).isTrue();
            assertThat(engine.servers().get(index).admin()).isEqualTo(io.jpen.core.select.Server.Admin.MAINT);
            servers.closeAll(index);
            assertThat(replyTo("server " + index + " close").text()).isEqualTo("Forcibly closing 1 connection of server " + index + "\n");
            assertThat(servers.notice().textProperty().get()).isEqualTo("Forcibly closing 1 connection of server " + index);
            held.setSoTimeout(10_000);
            assertThat(held.getInputStream().read()).isEqualTo(-1);
            servers.ready(index);
            assertThat(replyTo("server " + index + " ready").ok()).isTrue();
            assertThat(engine.servers().get(index).admin()).isEqualTo(io.jpen.core.select.Server.Admin.READY);
        }
        assertThat(commands.transcript()).extracting(Commands.Entry::line).containsExactly("server " + index + " drain 30",
                "server " + index + " maint", "server " + index + " close", "server " + index + " ready");
    }

    @Test
    void theCheckEditorSetsACheckWithQuotedTextsAndABadOneChangesNothing() throws Exception {
        ServersModel servers = servers();
        servers.check(1, io.jpen.core.model.HealthCheck.send("HELLO there\r\n", "+OK \"ready\""), a.port(), 20);
        assertThat(replyTo("server 1 check send \"HELLO there\\r\\n\" expect \"+OK \\\"ready\\\"\"").ok()).isTrue();
        assertThat(replyTo("server 1 check_port " + a.port() + " slowstart 20").ok()).isTrue();
        io.jpen.core.model.ServerOptions o = engine.servers().get(1).options();
        assertThat(o.check()).isEqualTo(io.jpen.core.model.HealthCheck.send("HELLO there\r\n", "+OK \"ready\""));
        assertThat(o.checkPort()).isEqualTo(a.port());
        assertThat(o.slowstartSeconds()).isEqualTo(20);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> servers.check(1, io.jpen.core.model.HealthCheck.tcp(), 70_000, 0))
                .hasMessageContaining("check_port must be 0-65535");
        servers.check(1, null, 0, 0);
        assertThat(replyTo("server 1 check off").ok()).isTrue();
        assertThat(replyTo("server 1 check_port 0 slowstart 0").ok()).isTrue();
        assertThat(engine.servers().get(1).options()).isEqualTo(io.jpen.core.model.ServerOptions.NONE);
    }

    @Test
    void choosingAnAlgorithmLeavesExactlyThatOneSet() throws Exception {
        ModesModel modes = new ModesModel(commands);
        modes.algorithm(ModesModel.Algorithm.HASH);
        waitUntil(() -> engine.settings().hash());
        modes.algorithm(ModesModel.Algorithm.WEIGHT);
        waitUntil(() -> engine.settings().weight() && !engine.settings().hash());
        Settings s = engine.settings();
        assertThat(List.of(s.roundrobin(), s.hash(), s.weight(), s.prio())).containsExactly(false, false, true, false);
        waitUntil(() -> modes.lastReplyOkProperty().get() && !modes.lastReplyProperty().get().isEmpty());
    }

    @Test
    void writingTheConfigurationNamesTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ModesModel modes = new ModesModel(commands);
        java.nio.file.Path file = dir.resolve("jpen.cfg");
        modes.write(file.toString());
        waitUntil(() -> java.nio.file.Files.exists(file) && modes.lastReplyProperty().get().contains(file.toString()));
        assertThat(java.nio.file.Files.readString(file)).contains("server 0").contains("server 1");
        modes.write("  ");
        assertThat(modes.lastReplyOkProperty().get()).isFalse();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(20);
        }
    }
}
