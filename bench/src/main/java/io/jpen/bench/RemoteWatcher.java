package io.jpen.bench;

import io.jpen.core.console.RemoteConsole;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The far end of the remote-console check: a {@link RemoteConsole} (the class the desktop console attaches with)
 * on the probe's API, with a subscriber that reads every snapshot as a view would. {@link ConsoleProbe} starts it
 * detached ({@code setsid}), so its CPU is not counted as the engine's, as if it ran on another machine.
 *
 * <p>It proves it is attached: after every snapshot it rewrites {@code STATUS} as "{@code COUNT SECONDS PID}"
 * (snapshots received, seconds since the first, its pid), which the probe waits for before it starts the engine
 * and reports when it stops. It leaves on its own, with a last line on stderr, when the engine's process is gone,
 * when it cannot attach within {@value #ATTACH_SECONDS} s, or when the stream stays lost for
 * {@value #LOST_SECONDS} s.
 *
 * <p>Usage: {@code RemoteWatcher BASE_URI TOKEN_FILE ENGINE_PID STATUS}
 */
public final class RemoteWatcher {
    static final int ATTACH_SECONDS = 30;
    static final int LOST_SECONDS = 10;

    private RemoteWatcher() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: RemoteWatcher BASE_URI TOKEN_FILE ENGINE_PID STATUS");
            System.exit(2);
        }
        URI base = URI.create(args[0]);
        String token = Files.readString(Path.of(args[1]), StandardCharsets.US_ASCII).strip();
        long enginePid = Long.parseLong(args[2]);
        Path status = Path.of(args[3]);
        long pid = ProcessHandle.current().pid();

        AtomicLong received = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong();
        AtomicLong sink = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        long started = System.nanoTime();
        String why;
        try (RemoteConsole console = new RemoteConsole(base, token)) {
            console.subscribe(s -> {
                // reads what a view would show, as ConsoleProbe's local subscriber does
                sink.addAndGet(s.totals().connections() + s.connections().size() + s.servers().size());
                long n = received.incrementAndGet();
                long now = System.nanoTime();
                if (n == 1) firstNanos.set(now);
                lastNanos.set(now);
                writeStatus(status, n, (now - firstNanos.get()) / 1e9, pid);
            });
            long lostSince = -1;
            while (true) {
                if (!ProcessHandle.of(enginePid).map(ProcessHandle::isAlive).orElse(false)) {
                    why = "the engine (pid " + enginePid + ") is gone";
                    break;
                }
                long now = System.nanoTime();
                if (received.get() == 0) {
                    if (now - started > TimeUnit.SECONDS.toNanos(ATTACH_SECONDS)) {
                        why = "no snapshot within " + ATTACH_SECONDS + " s (" + console.lastError() + ")";
                        break;
                    }
                } else if (console.connected()) {
                    lostSince = -1;
                } else if (lostSince < 0) {
                    lostSince = now;
                } else if (now - lostSince > TimeUnit.SECONDS.toNanos(LOST_SECONDS)) {
                    why = "the stream has been lost for " + LOST_SECONDS + " s (" + console.lastError() + ")";
                    break;
                }
                Thread.sleep(200);
            }
        }
        long n = received.get();
        System.err.printf(java.util.Locale.ROOT, "RemoteWatcher: received %d snapshots over %.1f s from %s; leaving: %s%n",
                n, (lastNanos.get() - firstNanos.get()) / 1e9, base, why);
        System.exit(n > 0 ? 0 : 1);
    }

    /** Written whole and renamed, so the probe never reads half a line. */
    private static void writeStatus(Path status, long count, double seconds, long pid) {
        Path tmp = status.resolveSibling(status.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, count + " " + String.format(java.util.Locale.ROOT, "%.3f", seconds) + " " + pid + "\n",
                    StandardCharsets.US_ASCII);
            Files.move(tmp, status, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the probe removed its scratch directory on the way out: nothing left to tell it
        }
    }
}
