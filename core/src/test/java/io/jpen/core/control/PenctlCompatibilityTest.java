package io.jpen.core.control;

import io.jpen.core.engine.Engine;
import io.jpen.core.model.Endpoint;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's real penctl against jpen's control port, and the same command sequence against Debian's pen: the
 * replies must have the same shape (numbers aside) wherever Pen defines one. Skipped when pen is not installed
 * (CI installs it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PenctlCompatibilityTest {
    private static final Path PENCTL = Path.of("/usr/bin/penctl");
    private static final Path PEN = Path.of("/usr/bin/pen");

    /** Commands whose replies Pen defines, in an order that leaves both balancers in the same state. */
    private static final List<String> SEQUENCE = List.of(
            "servers", "mode", "blacklist", "blacklist 40", "timeout", "timeout 5", "tracking", "tracking 10",
            "conn_max 600", "clients_max 3000", "debug", "debug 1", "idle_timeout", "idle_timeout 5", "idlers",
            "hash", "mode", "no hash", "stubborn", "mode", "no stubborn", "weight", "prio", "mode", "no weight",
            "no prio", "roundrobin", "mode", "no roundrobin",
            "server 0 weight 3 prio 2 max 3 hard 4", "server 1 blacklist 5", "servers", "frobnicate now",
            "exit", "listen", "control", "pid", "tcp_nodelay", "no tcp_nodelay", "tcp_fastclose both",
            "tcp_fastclose off", "http", "no http", "recent", "recent 10", "socket 9999");

    @Test
    void debiansPenctlGetsTheSameReplyShapesFromJpenAsFromPen() throws Exception {
        assumeTrue(Files.isExecutable(PENCTL) && Files.isExecutable(PEN), "Debian's pen and penctl are not installed");
        try (Backend a = Backend.echo("a"); Backend b = Backend.echo("b")) {
            Map<String, String> jpen;
            try (Engine engine = Engines.start(UnaryOperator.identity(), a, b);
                 ControlServer control = ControlServer.start(Engines.penctl(engine), new Endpoint.Tcp("127.0.0.1", 0))) {
                jpen = run("127.0.0.1:" + control.port());
            }
            Map<String, String> pen = runAgainstPen(a, b);
            for (String command : SEQUENCE) {
                assertThat(shape(jpen.get(command))).as("reply shape of '%s'", command)
                        .isEqualTo(shape(pen.get(command)));
            }
        }
    }

    @Test
    void debiansPenctlReadsStatusAndErrorsFromJpen() throws Exception {
        assumeTrue(Files.isExecutable(PENCTL), "Debian's penctl is not installed");
        try (Backend a = Backend.echo("a");
             Engine engine = Engines.start(UnaryOperator.identity(), a);
             ControlServer control = ControlServer.start(Engines.penctl(engine), new Endpoint.Tcp("127.0.0.1", 0))) {
            String target = "127.0.0.1:" + control.port();
            assertThat(penctl(target, "status")).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
            assertThat(penctl(target, "timeout", "0")).isEqualTo("timeout: 0 is below the minimum 1\n");
            assertThat(penctl(target, "server", "0", "weight", "7")).isEmpty();
            assertThat(engine.servers().get(0).spec().weight()).isEqualTo(7);
        }
    }

    private static Map<String, String> run(String target) throws Exception {
        Map<String, String> replies = new LinkedHashMap<>();
        for (String command : SEQUENCE) replies.put(command, penctl(target, command.split(" ")));
        return replies;
    }

    private static Map<String, String> runAgainstPen(Backend a, Backend b) throws Exception {
        int listen = freePort();
        int control = freePort();
        List<String> cmd = new ArrayList<>(List.of(PEN.toString(), "-f"));
        // As root, Pen ignores -C unless -u is given.
        if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("-u", "root"));
        cmd.addAll(List.of("-C", "127.0.0.1:" + control, "127.0.0.1:" + listen,
                "127.0.0.1:" + a.port(), "127.0.0.1:" + b.port()));
        Process pen = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitForPort(control);
            return run("127.0.0.1:" + control);
        } finally {
            pen.destroy();
            if (!pen.waitFor(5, TimeUnit.SECONDS)) pen.destroyForcibly();
        }
    }

    /** The reply with every number replaced by N: what must match between Pen and jpen. */
    private static String shape(String reply) {
        return reply == null ? null : reply.replaceAll("\\d+", "N");
    }

    private static String penctl(String target, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PENCTL.toString(), target));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static int freePort() throws IOException {
        return io.jpen.core.testing.FreePorts.tcp();
    }

    private static void waitForPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("pen did not open its control port " + port);
    }
}
