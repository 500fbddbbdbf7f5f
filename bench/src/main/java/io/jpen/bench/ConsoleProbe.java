package io.jpen.bench;

import io.jpen.core.control.Penctl;
import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiServer;
import io.jpen.core.api.ApiToken;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The same engine three ways for anchors.sh: bare ({@code --no-console}); with a {@link LocalConsole} attached at
 * its default tick and a subscriber that reads every snapshot as the desktop console does ({@code --console}); and
 * serving its API as {@code jpen --api} does, with a {@link RemoteWatcher} in a separate, detached process attached
 * through it ({@code --remote-console}). Comparing the candidates' CPU per request is the console's cost to the
 * engine: anchors.sh counts the CPU of the probe's process tree only, and the watcher is not part of it.
 *
 * <p>In the remote mode the engine starts listening only once the watcher has received a snapshot, and the probe
 * exits with an error instead if that takes longer than {@value #ATTACH_SECONDS} s, so a run can never quietly
 * measure an engine without its console. On the way out it reports how many snapshots the watcher received, and
 * in every mode the CPU its threads used by kind ({@link ThreadCpu}): the console's own share, without the load's noise.
 *
 * <p>Usage: {@code ConsoleProbe --console|--no-console|--remote-console THREADS 127.0.0.1:LPORT HOST:PORT...}
 */
public final class ConsoleProbe {
    static final int ATTACH_SECONDS = 20;
    private static final String USAGE = "usage: ConsoleProbe --console|--no-console|--remote-console THREADS HOST:LPORT HOST:PORT...";

    private ConsoleProbe() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        List<String> modes = List.of("--console", "--no-console", "--remote-console");
        if (args.length < 4 || !modes.contains(args[0])) {
            System.err.println(USAGE);
            System.exit(2);
        }
        int threads = Integer.parseInt(args[1]);
        String[] listen = args[2].split(":");
        List<ServerSpec> servers = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] hp = args[i].split(":");
            servers.add(ServerSpec.of(hp[0], Integer.parseInt(hp[1])));
        }
        // As the anchors' Pen candidate runs: -r (round robin, no tracking), -x 10000.
        Settings settings = Settings.defaults().withRoundrobin(true).withConnMax(10_000);
        EngineOptions options = EngineOptions.of(new Endpoint.Tcp(listen[0], Integer.parseInt(listen[1])), servers, settings)
                .withThreads(threads);
        Engine engine = new Engine(options);
        List<AutoCloseable> toClose = new ArrayList<>(); // closed in reverse order, before the engine
        Runnable report = () -> {};
        switch (args[0]) {
            case "--console" -> {
                engine.start();
                LocalConsole console = new LocalConsole(new Penctl(engine));
                AtomicLong seen = new AtomicLong();
                // Reads what a view would show, so the snapshot is not dead code the JIT could drop.
                console.subscribe(s -> seen.addAndGet(s.totals().connections() + s.connections().size() + s.servers().size()));
                toClose.add(console);
            }
            case "--remote-console" -> {
                Remote remote = Remote.attach(engine);
                toClose.add(remote);
                report = remote::report;
                engine.start();
            }
            default -> engine.start();
        }
        Runnable onExit = report;
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            onExit.run(); // first: anchors.sh gives a stopping candidate only a few seconds
            System.err.println(ThreadCpu.report());
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    System.err.println("ConsoleProbe: closing " + toClose.get(i) + ": " + e);
                }
            }
            engine.close();
            stop.countDown();
        }));
        stop.await();
    }

    /** The engine's API as {@code jpen --api} serves it, and the detached watcher attached to it. */
    private record Remote(LocalConsole console, ApiServer api, Path dir, Path status) implements AutoCloseable {
        static Remote attach(Engine engine) throws IOException, InterruptedException {
            LocalConsole console = new LocalConsole(new Penctl(engine));
            Path dir = Files.createTempDirectory("jpen-remote-probe");
            Path tokenFile = dir.resolve("api-token");
            ApiServer api = new ApiServer(console, ApiConfig.of(0, ApiToken.of(ApiToken.loadOrCreate(tokenFile)))).start();
            Remote remote = new Remote(console, api, dir, dir.resolve("watcher-status"));
            boolean launched = launchWatcher(api, tokenFile, remote.status);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ATTACH_SECONDS);
            String[] first;
            while ((first = remote.received()) == null) {
                if (!launched || System.nanoTime() > deadline) {
                    System.err.println("ConsoleProbe: FAILED: the remote watcher received no snapshot from " + api.uri()
                            + (launched ? " within " + ATTACH_SECONDS + " s" : "")
                            + "; not starting the engine (this must not be measured as a bare engine)");
                    remote.close();
                    engine.close();
                    System.exit(1);
                }
                Thread.sleep(50);
            }
            System.err.println("ConsoleProbe: remote watcher (pid " + first[2] + ") attached to " + api.uri() + ", engine starting");
            return remote;
        }

        /** "COUNT SECONDS PID" as the watcher last wrote it, or null before its first snapshot. */
        String[] received() {
            try {
                String[] f = Files.readString(status, StandardCharsets.US_ASCII).strip().split(" ");
                return f.length == 3 ? f : null;
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The line bench/table.py looks for: how many snapshots the watcher had received, and how fast. */
        void report() {
            String[] r = received();
            long n = r == null ? 0 : Long.parseLong(r[0]);
            double secs = r == null ? 0 : Double.parseDouble(r[1]);
            System.err.printf(Locale.ROOT, "ConsoleProbe: remote watcher%s received %d snapshots over %.1f s (%.2f per s) from %s%n",
                    r == null ? "" : " (pid " + r[2] + ")", n, secs, secs > 0 ? (n - 1) / secs : 0.0, api.uri());
        }

        @Override
        public void close() {
            api.close();
            console.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("ConsoleProbe: cannot remove " + dir + ": " + e.getMessage());
            }
        }

        /**
         * Starts the watcher in a new session ({@code setsid -f}: its parent exits at once, so it is no descendant
         * of this process), on the CPUs this process is not pinned to, as if on another machine. It inherits
         * stdout/stderr (anchors.sh's log of this candidate) and nothing else.
         */
        private static boolean launchWatcher(ApiServer api, Path tokenFile, Path status) throws InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("setsid", "-f"));
            String others = otherCpus();
            if (others != null) cmd.addAll(List.of("taskset", "-c", others));
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-XX:-UsePerfData",
                    "-cp", System.getProperty("java.class.path"), RemoteWatcher.class.getName(),
                    api.uri().toString(), tokenFile.toString(), Long.toString(ProcessHandle.current().pid()), status.toString()));
            try {
                Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) return true;
                p.destroyForcibly();
                System.err.println("ConsoleProbe: could not start the remote watcher: " + String.join(" ", cmd));
            } catch (IOException e) {
                System.err.println("ConsoleProbe: could not start the remote watcher (" + e.getMessage() + "): " + String.join(" ", cmd));
            }
            return false;
        }

        /** Online CPUs minus this process's affinity, as a taskset list; null when there are none (not pinned). */
        private static String otherCpus() {
            try {
                BitSet online = cpuList(Files.readString(Path.of("/sys/devices/system/cpu/online")));
                String allowed = Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElse(null);
                if (allowed == null) return null;
                online.andNot(cpuList(allowed.substring(allowed.indexOf(':') + 1)));
                if (online.isEmpty()) return null;
                StringBuilder sb = new StringBuilder();
                online.stream().forEach(c -> sb.append(sb.isEmpty() ? "" : ",").append(c));
                return sb.toString();
            } catch (IOException | RuntimeException e) {
                return null; // not Linux as expected: leave the watcher's placement to the scheduler
            }
        }

        /** Parses the kernel's CPU list format, e.g. "0-3,6". */
        private static BitSet cpuList(String text) {
            BitSet set = new BitSet();
            for (String part : text.strip().split(",")) {
                if (part.isEmpty()) continue;
                String[] r = part.split("-");
                int lo = Integer.parseInt(r[0].strip());
                int hi = r.length > 1 ? Integer.parseInt(r[1].strip()) : lo;
                set.set(lo, hi + 1);
            }
            return set;
        }
    }
}
