package io.jpen.bench;

import io.jpen.core.api.client.RemoteConsole;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The far end of the remote-console check: a {@link RemoteConsole} (the class the desktop console attaches with)
 * on the probe's API, with a subscriber that reads every snapshot as a view would. {@link ConsoleProbe} starts it
 * detached ({@code setsid}), so its CPU is not counted as the engine's, as if it ran on another machine.
 *
 * <p>It proves it is attached: after every snapshot it rewrites {@code STATUS} as "{@code COUNT SECONDS PID}"
 * (snapshots received, seconds from the first to the last, its pid), which the probe waits for before it starts
 * the engine and reports when it stops. It leaves on its own, with a last line on stderr, when the engine's
 * process is gone, when it cannot attach within {@link #ATTACH}, or when the stream stays lost for {@link #LOST}.
 *
 * <p>Usage: {@code RemoteWatcher BASE_URI TOKEN_FILE ENGINE_PID STATUS}
 */
public final class RemoteWatcher {
    static final Duration ATTACH = Duration.ofSeconds(30);
    static final Duration LOST = Duration.ofSeconds(10);

    /** What the watcher saw: snapshots received, seconds from the first to the last, and why it stopped. */
    record Result(long snapshots, double seconds, String why) {}

    private RemoteWatcher() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: RemoteWatcher BASE_URI TOKEN_FILE ENGINE_PID STATUS");
            System.exit(2);
        }
        URI base = URI.create(args[0]);
        String token = Files.readString(Path.of(args[1]), StandardCharsets.US_ASCII).strip();
        long enginePid = Long.parseLong(args[2]);
        BooleanSupplier engineAlive = () -> ProcessHandle.of(enginePid).map(ProcessHandle::isAlive).orElse(false);
        Result r = watch(base, token, engineAlive, "the engine (pid " + enginePid + ") is gone", Path.of(args[3]), ATTACH, LOST);
        System.err.printf(Locale.ROOT, "RemoteWatcher: received %d snapshots over %.1f s from %s; leaving: %s%n",
                r.snapshots(), r.seconds(), base, r.why());
        System.exit(r.snapshots() > 0 ? 0 : 1);
    }

    /** Attaches to {@code base} and counts snapshots into {@code status} until one of the reasons to leave. */
    static Result watch(URI base, String token, BooleanSupplier engineAlive, String engineGone, Path status,
                        Duration attach, Duration lost) throws InterruptedException {
        long pid = ProcessHandle.current().pid();
        AtomicLong received = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        AtomicLong sink = new AtomicLong();
        long started = System.nanoTime();
        String why;
        try (RemoteConsole console = new RemoteConsole(base, token)) {
            console.subscribe(s -> {
                // reads what a view would show, as ConsoleProbe's local subscriber does
                sink.addAndGet(s.totals().connections() + s.connections().size() + s.servers().size());
                long now = System.nanoTime();
                long n = received.incrementAndGet();
                if (n == 1) firstNanos.set(now);
                lastNanos.set(now);
                writeStatus(status, n, (now - firstNanos.get()) / 1e9, pid);
            });
            long lostSince = -1;
            while (true) {
                if (!engineAlive.getAsBoolean()) {
                    why = engineGone;
                    break;
                }
                long now = System.nanoTime();
                if (received.get() == 0) {
                    if (now - started > attach.toNanos()) {
                        why = "no snapshot within " + attach.toSeconds() + " s (" + console.lastError() + ")";
                        break;
                    }
                } else if (console.connected()) {
                    lostSince = -1;
                } else if (lostSince < 0) {
                    lostSince = now;
                } else if (now - lostSince > lost.toNanos()) {
                    why = "the stream has been lost for " + lost.toSeconds() + " s (" + console.lastError() + ")";
                    break;
                }
                Thread.sleep(200);
            }
        }
        return new Result(received.get(), (lastNanos.get() - firstNanos.get()) / 1e9, why);
    }

    /** Written whole and renamed, so the probe never reads half a line. */
    private static void writeStatus(Path status, long count, double seconds, long pid) {
        Path tmp = status.resolveSibling(status.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, count + " " + String.format(Locale.ROOT, "%.3f", seconds) + " " + pid + "\n",
                    StandardCharsets.US_ASCII);
            Files.move(tmp, status, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the probe removed its scratch directory on the way out: nothing left to tell it
        }
    }
}
