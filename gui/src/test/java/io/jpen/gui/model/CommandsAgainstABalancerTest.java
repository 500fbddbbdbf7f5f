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
import java.util.concurrent.CompletableFuture;
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

    private static Reply await(CompletableFuture<Reply> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void editingAServerChangesItWholeAndABadEditChangesNothing() throws Exception {
        ServersModel servers = new ServersModel(commands);
        CompletableFuture<Reply> ok = new CompletableFuture<>();
        servers.edit(1, "127.0.0.1", b.port(), 5, 7, 3, 2, ok::complete);
        assertThat(await(ok).ok()).isTrue();
        ServerSpec spec = engine.servers().get(1).spec();
        assertThat(spec).isEqualTo(new ServerSpec("127.0.0.1", b.port(), 5, 7, 3, 2, -1));

        CompletableFuture<Reply> bad = new CompletableFuture<>();
        servers.edit(1, "no-such-host.invalid", 99, 1, 1, 1, 1, bad::complete);
        assertThat(await(bad).ok()).isFalse();
        assertThat(engine.servers().get(1).spec()).isEqualTo(spec);
        assertThat(commands.transcript()).extracting(Commands.Entry::line)
                .containsExactly("server 1 address 127.0.0.1 port " + b.port() + " max 5 hard 7 weight 3 prio 2",
                        "server 1 address no-such-host.invalid port 99 max 1 hard 1 weight 1 prio 1");
    }

    @Test
    void blacklistingAndReEnablingAServer() throws Exception {
        ServersModel servers = new ServersModel(commands);
        CompletableFuture<Reply> out = new CompletableFuture<>();
        servers.blacklist(0, 60, out::complete);
        assertThat(await(out).ok()).isTrue();
        assertThat(engine.servers().get(0).blacklisted(System.currentTimeMillis())).isTrue();
        CompletableFuture<Reply> in = new CompletableFuture<>();
        servers.enable(0, in::complete);
        assertThat(await(in).ok()).isTrue();
        assertThat(engine.servers().get(0).blacklisted(System.currentTimeMillis())).isFalse();
    }

    @Test
    void drainMaintenanceReadyAndCloseAllFromTheServersView() throws Exception {
        ServersModel servers = new ServersModel(commands);
        int index;
        try (java.net.Socket held = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), engine.port())) {
            waitUntil(() -> engine.servers().get(0).connections() + engine.servers().get(1).connections() == 1);
            index = engine.servers().get(0).connections() == 1 ? 0 : 1;
            CompletableFuture<Reply> drained = new CompletableFuture<>();
            servers.drain(index, 30, drained::complete);
            assertThat(await(drained).ok()).isTrue();
            assertThat(engine.servers().get(index).admin()).isEqualTo(io.jpen.core.select.Server.Admin.DRAIN);
            assertThat(engine.servers().get(index).drainDeadlineMillis()).isPositive();
            CompletableFuture<Reply> maint = new CompletableFuture<>();
            servers.maintenance(index, maint::complete);
            assertThat(await(maint).ok()).isTrue();
            assertThat(engine.servers().get(index).admin()).isEqualTo(io.jpen.core.select.Server.Admin.MAINT);
            CompletableFuture<Reply> closed = new CompletableFuture<>();
            servers.closeAll(index, closed::complete);
            assertThat(await(closed).text()).isEqualTo("Forcibly closing 1 connection of server " + index + "\n");
            held.setSoTimeout(10_000);
            assertThat(held.getInputStream().read()).isEqualTo(-1);
            CompletableFuture<Reply> ready = new CompletableFuture<>();
            servers.ready(index, ready::complete);
            assertThat(await(ready).ok()).isTrue();
            assertThat(engine.servers().get(index).admin()).isEqualTo(io.jpen.core.select.Server.Admin.READY);
        }
        assertThat(commands.transcript()).extracting(Commands.Entry::line).containsExactly("server " + index + " drain 30",
                "server " + index + " maint", "server " + index + " close", "server " + index + " ready");
    }

    @Test
    void theCheckEditorSetsACheckWithQuotedTextsAndABadOneChangesNothing() throws Exception {
        ServersModel servers = new ServersModel(commands);
        CompletableFuture<List<Reply>> set = new CompletableFuture<>();
        servers.check(1, io.jpen.core.model.HealthCheck.send("HELLO there\r\n", "+OK \"ready\""), a.port(), 20, set::complete);
        assertThat(await2(set)).allMatch(Reply::ok);
        io.jpen.core.model.ServerOptions o = engine.servers().get(1).options();
        assertThat(o.check()).isEqualTo(io.jpen.core.model.HealthCheck.send("HELLO there\r\n", "+OK \"ready\""));
        assertThat(o.checkPort()).isEqualTo(a.port());
        assertThat(o.slowstartSeconds()).isEqualTo(20);
        assertThat(commands.transcript()).extracting(Commands.Entry::line)
                .contains("server 1 check send \"HELLO there\\r\\n\" expect \"+OK \\\"ready\\\"\"");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> servers.check(1, io.jpen.core.model.HealthCheck.tcp(), 70_000, 0, r -> { }))
                .hasMessageContaining("check_port must be 0-65535");
        CompletableFuture<List<Reply>> off = new CompletableFuture<>();
        servers.check(1, null, 0, 0, off::complete);
        assertThat(await2(off)).allMatch(Reply::ok);
        assertThat(engine.servers().get(1).options()).isEqualTo(io.jpen.core.model.ServerOptions.NONE);
    }

    private static List<Reply> await2(CompletableFuture<List<Reply>> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
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
