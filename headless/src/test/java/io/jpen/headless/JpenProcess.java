package io.jpen.headless;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code jpen} process (this build's classes on a fresh JVM), its output in a file, stopped at close. */
final class JpenProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private JpenProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code jpen ARGS}; {@code prefix} runs in front of java (e.g. {@code prlimit --nofile=N:N --}). */
    static JpenProcess start(Path dir, List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Jpen.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "jpen", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new JpenProcess(p, out);
    }

    static JpenProcess start(Path dir, String... args) throws IOException {
        return start(dir, List.of(), args);
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    /** Sends a signal by name (HUP, TERM, ...) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
