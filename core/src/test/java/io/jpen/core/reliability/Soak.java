package io.jpen.core.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak run behind {@code scripts/soak.sh DURATION}: a real {@code ./jpen} process in front of local echo
 * backends, with mixed traffic for DURATION seconds (many short connections, long transfers, idle connections
 * held throughout), every byte compared by SHA-256. Prints a summary; exits 1 on any error.
 */
public final class Soak {
    private static final AtomicLong connections = new AtomicLong();
    private static final AtomicLong bytesChecked = new AtomicLong();
    private static final AtomicLong errors = new AtomicLong();
    private static final String LEAK_DETECTION = "-Dio.netty.leakDetection.level=paranoid";
    private static final List<String> firstErrors = new ArrayList<>();

    private Soak() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
        Path jpen = Path.of(args.length > 1 ? args[1] : "./jpen").toAbsolutePath();
        List<IntegrityTest.EchoBackend> backends = new ArrayList<>();
        for (int i = 0; i < 3; i++) backends.add(new IntegrityTest.EchoBackend(i));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(jpen.toString(), "-f", "-r", "127.0.0.1:" + port));
        for (var b : backends) cmd.add("127.0.0.1:" + b.port());
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "jpen-soak.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // Every buffer tracked: a buffer jpen never releases is reported in its log, which is checked at the end.
        pb.environment().merge("JPEN_JAVA_OPTS", LEAK_DETECTION, (old, add) -> old + " " + add);
        Process p = pb.start();
        try {
            awaitListening(port, p);
            roundTrip(port, 1 << 20, new SplittableRandom(1)); // warm-up before the baseline
            Thread.sleep(500);
            long fdStart = fds(p.pid());
            long rssStart = rssKib(p.pid());
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < 100; i++) idle.add(open(port)); // idle connections held for the whole run
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) threads.add(worker("short-" + i, deadline, port, 0, 64 * 1024, i));
            for (int i = 0; i < 2; i++) threads.add(worker("long-" + i, deadline, port, 16 << 20, 64 << 20, 100 + i));
            for (Thread t : threads) t.join();
            for (Socket s : idle) { // each idle connection still works after the whole run
                try (s) {
                    s.getOutputStream().write(42);
                    s.shutdownOutput();
                    int b = s.getInputStream().read();
                    if (b != 42) error("an idle connection did not echo after the run (" + b + ")");
                    connections.incrementAndGet();
                } catch (IOException e) {
                    error("an idle connection failed after the run: " + e);
                }
            }
            Thread.sleep(1000);
            reportLeaks(p.pid(), port, log);
            long fdEnd = fds(p.pid());
            long rssEnd = rssKib(p.pid());
            if (!p.isAlive()) error("jpen exited during the run with status " + p.exitValue());
            System.out.printf("soak: %d s, %d connections (+100 idle held throughout), %d bytes checked by SHA-256,"
                            + " %d errors; jpen descriptors %d -> %d, RSS %d -> %d MiB%n", seconds, connections.get(),
                    bytesChecked.get(), errors.get(), fdStart, fdEnd, rssStart / 1024, rssEnd / 1024);
            synchronized (firstErrors) {
                for (String e : firstErrors) System.out.println("  error: " + e);
            }
            if (fdEnd > fdStart + 8) error("jpen holds " + (fdEnd - fdStart) + " more descriptors than at the start");
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            for (var b : backends) b.close();
        }
        System.exit(errors.get() == 0 ? 0 : 1);
    }

    /**
     * Netty reports a leaked buffer once it has been garbage-collected and the next buffer is tracked: collect
     * jpen's garbage, move some bytes, then read the log.
     */
    private static void reportLeaks(long pid, int port, Path log) throws Exception {
        Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(30, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            error("jcmd GC.run on jpen failed: leaks cannot be checked");
            return;
        }
        roundTrip(port, 64 * 1024, new SplittableRandom(2));
        Thread.sleep(500);
        long leaks;
        try (var lines = java.nio.file.Files.lines(log)) {
            leaks = lines.filter(l -> l.contains("LEAK:")).count();
        }
        if (leaks > 0) error(leaks + " buffer leak report(s) from Netty in " + log);
    }

    private static Thread worker(String name, long deadline, int port, int min, int max, long seed) {
        Thread t = new Thread(() -> {
            SplittableRandom r = new SplittableRandom(seed);
            while (System.nanoTime() < deadline) {
                long size = min + r.nextInt(max - min + 1);
                try {
                    roundTrip(port, size, r);
                } catch (Exception e) {
                    error(name + ": " + e);
                }
            }
        }, name);
        t.start();
        return t;
    }

    private static void roundTrip(int port, long size, SplittableRandom r) throws Exception {
        try (Socket s = open(port)) {
            byte[] noise = new byte[64 * 1024];
            r.nextBytes(noise);
            MessageDigest sent = IntegrityTest.sha256();
            Thread reader = null;
            byte[][] back = new byte[1][];
            long[] got = new long[1];
            Exception[] failed = new Exception[1];
            reader = new Thread(() -> {
                try {
                    MessageDigest d = IntegrityTest.sha256();
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[32 * 1024];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        d.update(buf, 0, n);
                        got[0] += n;
                    }
                    back[0] = d.digest();
                } catch (Exception e) {
                    failed[0] = e;
                }
            });
            reader.start();
            OutputStream out = s.getOutputStream();
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(left, 1 + r.nextInt(noise.length));
                out.write(noise, 0, n);
                sent.update(noise, 0, n);
                left -= n;
            }
            s.shutdownOutput();
            reader.join(60_000);
            if (failed[0] != null) throw failed[0];
            if (got[0] != size || !Arrays.equals(back[0], sent.digest())) {
                error("stream of " + size + " bytes came back as " + got[0] + " bytes"
                        + (got[0] == size ? " with a different SHA-256" : ""));
                return;
            }
            connections.incrementAndGet();
            bytesChecked.addAndGet(size);
        }
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(60_000);
        return s;
    }

    private static void error(String what) {
        errors.incrementAndGet();
        synchronized (firstErrors) {
            if (firstErrors.size() < 10) firstErrors.add(what);
        }
    }

    private static void awaitListening(int port, Process p) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) throw new IllegalStateException("jpen exited with status " + p.exitValue());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("jpen did not listen on " + port + " within 120 s");
    }

    /** The jpen launcher execs java, so its pid is the JVM's. */
    /**
     * jpen's descriptors that are not files: sockets, pipes, epoll and event descriptors, the ones a leaked connection
     * would hold. A jar the JVM opens to load a class it had not needed before stays open for the process's life and
     * is not counted.
     */
    private static long fds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.filter(fd -> {
                try {
                    return !Files.readSymbolicLink(fd).toString().startsWith("/");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        }
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
