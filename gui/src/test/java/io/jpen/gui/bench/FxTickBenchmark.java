package io.jpen.gui.bench;

import io.jpen.core.control.Penctl;
import io.jpen.core.console.Console;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import io.jpen.core.model.Totals;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.ConsoleModel;
import io.jpen.gui.view.MainView;
import io.jpen.gui.view.Theme;
import javafx.scene.Scene;
import javafx.scene.control.TableColumn;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * How long the FX thread spends per snapshot tick with thousands of live connections in the Connections table
 * (visible, sorted by a changing column). Not a pass/fail test: it prints and saves the numbers.
 * Run: {@code mvn -o -pl gui -am test -Dtest=FxTickBenchmark -Djpen.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false}.
 * Real connections are limited by the 20,000 open files a process may have here (each costs the balancer two);
 * set {@code -Djpen.bench.real=N}.
 */
@Tag("benchmark")
@ExtendWith(ApplicationExtension.class)
@Timeout(600)
class FxTickBenchmark {
    private static final int REAL = Integer.getInteger("jpen.bench.real", 9_500);
    private static final int MEASURE_SECONDS = 12;

    private Stage stage;
    private final List<String> report = new ArrayList<>();

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void fxThreadTimePerTick() throws Exception {
        report.add(String.format(Locale.ROOT, "load average before: %s", loadAverage()));
        report.add(String.format(Locale.ROOT, "%-44s %7s %9s %9s %9s %9s %9s %8s", "scenario", "rows", "cpu mean", "cpu max",
                "wall mean", "wall max", "layoutcpu", "skipped"));
        warmUp();
        realConnections();
        synthetic(10_000);
        synthetic(20_000);
        try (SyntheticConsole console = new SyntheticConsole(10_000)) {
            measure("synthetic 10,000, Overview showing", console, 10_000, MainView.Page.OVERVIEW);
        }
        report.add(String.format(Locale.ROOT, "load average after: %s", loadAverage()));
        report.add("cpu = the FX thread's CPU time applying one snapshot; wall = the same in elapsed time (includes waiting"
                + " for a core); layoutcpu = the FX thread's CPU time for CSS and layout per pulse (max on the second line); all in ms");
        String text = String.join("\n", report) + "\n";
        System.out.println("\n=== FX thread time per tick ===\n" + text);
        Files.writeString(Path.of("target", "fx-tick-benchmark.txt"), text);
    }

    private void realConnections() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process backend = new ProcessBuilder(java, "-cp", cp, LoadPeer.class.getName(), "backend")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process clients = null;
        Engine engine = null;
        LocalConsole console = null;
        try {
            int backendPort = Integer.parseInt(new BufferedReader(new InputStreamReader(backend.getInputStream())).readLine().strip());
            engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), List.of(ServerSpec.of("127.0.0.1", backendPort)),
                    Settings.defaults().withConnMax(50_000).withRoundrobin(true)));
            engine.start();
            console = new LocalConsole(new Penctl(engine), LocalConsole.DEFAULT_TICK, 50_000);
            clients = new ProcessBuilder(java, "-cp", cp, LoadPeer.class.getName(), "clients", Integer.toString(engine.port()),
                    Integer.toString(REAL), "300").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String ready = new BufferedReader(new InputStreamReader(clients.getInputStream())).readLine();
            if (!"ready".equals(ready)) throw new IllegalStateException("load peer failed: " + ready);
            long deadline = System.currentTimeMillis() + 120_000;
            while (engine.connections().size() < REAL && System.currentTimeMillis() < deadline) Thread.sleep(200);
            measure("real loopback connections, 250 ms tick", console, engine.connections().size());
        } finally {
            if (clients != null) clients.destroy();
            backend.destroy();
            if (console != null) console.close();
            if (engine != null) engine.close();
        }
    }

    /** One unreported pass so the first reported scenario does not pay for class loading and the JIT. */
    private void warmUp() throws Exception {
        List<String> kept = new ArrayList<>(report);
        synthetic(10_000);
        report.clear();
        report.addAll(kept);
    }

    private void synthetic(int rows) throws Exception {
        try (SyntheticConsole console = new SyntheticConsole(rows)) {
            measure("synthetic snapshots (1% churn/tick), 250 ms", console, rows);
        }
    }

    private void measure(String scenario, Console console, int rows) throws Exception {
        measure(scenario, console, rows, MainView.Page.CONNECTIONS);
    }

    private void measure(String scenario, Console console, int rows, MainView.Page page) throws Exception {
        FxThread fx = new FxThread();
        ConsoleModel model = new ConsoleModel(console, fx);
        AtomicLong layoutNanos = new AtomicLong();
        AtomicLong layoutMax = new AtomicLong();
        AtomicLong layouts = new AtomicLong();
        long[] pre = new long[1];
        MainView view = WaitForAsyncUtils.asyncFx(() -> {
            MainView v = new MainView(model.start(), () -> { }, () -> { }, () -> { });
            Scene scene = new Scene(v, 1200, 800);
            new Theme(false).apply(scene);
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            scene.addPreLayoutPulseListener(() -> pre[0] = threads.getCurrentThreadCpuTime());
            scene.addPostLayoutPulseListener(() -> {
                long d = threads.getCurrentThreadCpuTime() - pre[0];
                layoutNanos.addAndGet(d);
                layouts.incrementAndGet();
                layoutMax.accumulateAndGet(d, Math::max);
            });
            stage.setScene(scene);
            stage.show();
            v.show(page);
            // sorted by a column whose values change: the costliest ordering to keep up to date
            TableColumn<io.jpen.gui.model.ConnectionRow, ?> up = v.connections().table().getColumns().get(7); // client → server
            up.setSortType(TableColumn.SortType.DESCENDING);
            v.connections().table().getSortOrder().setAll(List.of(up));
            return v;
        }).get(30, TimeUnit.SECONDS);
        Thread.sleep(3_000); // warm up: first rows, JIT
        fx.stats().reset();
        layoutNanos.set(0);
        layouts.set(0);
        layoutMax.set(0);
        Thread.sleep(MEASURE_SECONDS * 1000L);
        int shown = WaitForAsyncUtils.asyncFx(() -> view.connections().table().getItems().size()).get(10, TimeUnit.SECONDS);
        var st = fx.stats();
        report.add(String.format(Locale.ROOT, "%-44s %7d %9.2f %9.2f %9.2f %9.2f %9.2f %8d", scenario, shown, st.meanCpuMillis(),
                st.maxCpuMillis(), st.meanMillis(), st.maxMillis(), layouts.get() == 0 ? 0 : layoutNanos.get() / 1e6 / layouts.get(),
                st.skippedCount()));
        report.add(String.format(Locale.ROOT, "%-44s %7s %9s %9s %9s %9s %9.2f   (ticks %d, layout passes %d)", "", "", "", "", "", "",
                layoutMax.get() / 1e6, st.ticks(), layouts.get()));
        WaitForAsyncUtils.asyncFx(() -> {
            view.stop();
            model.close();
        }).get(10, TimeUnit.SECONDS);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Snapshots of {@code rows} connections at 4 Hz: bytes move on a tenth of them, 1% end and are replaced. */
    private static final class SyntheticConsole implements Console {
        /** Four servers with moving rates, the last blacklisted every other 5 s (what the Overview draws). */
        private static final int SERVERS = 4;
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        private final List<Consumer<Snapshot>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final long started = System.currentTimeMillis();
        private final int rows;
        private int nextId;
        private final List<long[]> live = new ArrayList<>(); // id, created, up, down

        SyntheticConsole(int rows) {
            this.rows = rows;
            for (int i = 0; i < rows; i++) live.add(new long[]{nextId++, started, 0, 0});
            ticker.scheduleAtFixedRate(this::tick, 0, 250, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            long now = System.currentTimeMillis();
            java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
            for (int i = 0; i < rows / 100; i++) live.set(r.nextInt(rows), new long[]{nextId++, now, 0, 0});
            for (int i = 0; i < rows / 10; i++) {
                long[] c = live.get(r.nextInt(rows));
                c[2] += 64;
                c[3] += r.nextInt(4096);
            }
            List<ConnectionView> views = new ArrayList<>(rows);
            for (long[] c : live) {
                views.add(new ConnectionView((int) c[0], "/127.0.0." + (2 + c[0] % 200) + ":" + (32768 + c[0] % 28000), 0,
                        "server " + c[0] % SERVERS, "established", now - c[1], 0, c[2], c[3]));
            }
            views.sort((a, b) -> Integer.compare(b.id(), a.id()));
            List<ServerView> servers = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                servers.add(new ServerView(i, "127.0.0.1", 9000 + i, i == SERVERS - 1 && now / 5000 % 2 == 0 ? "blacklisted" : "up",
                        0, rows / SERVERS, 0, 0, 0, 0, -1, nextId / SERVERS, i, 0, 0, 1e5 * (i + 1) + r.nextInt(10_000),
                        1e6 * (i + 1) + r.nextInt(100_000), 10));
            }
            Snapshot s = new Snapshot(Snapshot.VERSION, now, started, "127.0.0.1:8080", "epoll", Settings.defaults(),
                    servers, new Totals(rows, nextId, 0, 0, 40, 4e5, 4e6), views, false, List.of(), 0);
            for (Consumer<Snapshot> l : listeners) l.accept(s);
        }

        @Override public Subscription subscribe(Consumer<Snapshot> l) { listeners.add(l); return () -> listeners.remove(l); }
        @Override public Snapshot latest() { return null; }
        @Override public CompletableFuture<Reply> execute(String line) { return CompletableFuture.completedFuture(Reply.error("synthetic")); }
        @Override public String target() { return "synthetic"; }
        @Override public boolean connected() { return true; }
        @Override public void close() { ticker.shutdownNow(); }
    }
}
