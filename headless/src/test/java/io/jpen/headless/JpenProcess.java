package io.jpen.headless;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

    /**
     * What the jpen command puts in front of java: HUP's default action, so that jpen can take HUP over even when
     * this test runs with HUP ignored (under nohup; a JVM takes over no signal that was ignored when it started).
     */
    static final List<String> HUP_AS_THE_JPEN_COMMAND_LEAVES_IT = List.of("env", "--default-signal=HUP");

    /** Starts {@code jpen ARGS}; {@code prefix} runs in front of java (e.g. {@code prlimit --nofile=N:N --}). */
    static JpenProcess start(Path dir, List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(HUP_AS_THE_JPEN_COMMAND_LEAVES_IT);
        return startJava(dir, cmd, args);
    }

    /** Starts {@code java ... jpen ARGS} under nohup, that is with HUP ignored, without the jpen command's reset. */
    static JpenProcess startUnderNohup(Path dir, String... args) throws IOException {
        return startJava(dir, new ArrayList<>(List.of("nohup")), args);
    }

    private static JpenProcess startJava(Path dir, List<String> cmd, String... args) throws IOException {
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

    /** A jpenctl command against the control port on loopback: its reply, or null when it could not connect. */
    static String ctl(int port, String... command) {
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("127.0.0.1:" + port));
        args.addAll(List.of(command));
        int rc = Jpenctl.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
        return rc == 0 ? out.toString() : null;
    }

    /** What a loopback server at {@code port} says before it closes, or "error: ..." when it cannot be reached. */
    static String fetch(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "error: " + e.getMessage();
        }
    }

    /** What a test that opens the control port adds to jpen's command line when it runs as root (RootControlTest). */
    static List<String> controlAsRoot() {
        return RootCheck.runningAsRoot() ? List.of("--allow-root-control") : List.of();
    }

    static int freePort() throws IOException {
        return io.jpen.core.testing.FreePorts.tcp();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
