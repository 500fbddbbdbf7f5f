package io.jpen.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program the test runs beside jpen (HAProxy, nginx) with its output in a file; closing it stops it (TERM, then
 * KILL), so keeping it in {@link Resources} ends it after the test whether the test passed or not.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} and waits until it accepts connections on 127.0.0.1:{@code port}. */
    public static ChildProcess start(Path dir, String name, int port, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChildProcess child = new ChildProcess(name, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return child;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    child.close();
                    throw new IllegalStateException(name + " did not start listening on port " + port + ":\n" + child.output());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    /** A loopback port free right now, for a program that needs its port in a config file. */
    public static int freePort() throws IOException {
        return FreePorts.tcp();
    }

    /** Whether {@code binary} is an executable file (Debian puts haproxy and nginx in /usr/sbin). */
    public static boolean installed(String binary) {
        return Files.isExecutable(Path.of(binary));
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
