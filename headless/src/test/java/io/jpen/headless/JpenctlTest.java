package io.jpen.headless;

import io.jpen.core.control.Penctl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JpenctlTest {
    private record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Jpenctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(rc, out.toString(), err.toString());
    }

    @Test
    void aRefusedConnectionIsExitStatusOneWithAClearMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run("127.0.0.1:" + port, "servers");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("jpenctl: cannot talk to 127.0.0.1:" + port + ": Connection refused\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingArgumentsAreUsageErrors() {
        Result r = run("127.0.0.1:1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("jpenctl: give the control port and a command");
        assertThat(run().err()).startsWith("jpenctl: Missing required parameter");
        assertThat(run("no_such_host:notaport", "servers").err()).startsWith("jpenctl: bad port 'notaport'");
    }

    @Test
    void helpDescribesTheCommand() {
        Result r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: jpenctl", "host:port|/path", "command", "--timeout");
    }

    @Test
    void talksToAControlPortOverTcpAndOverAUnixSocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        io.jpen.core.model.Endpoint listen = new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0);
        try (io.jpen.core.engine.Engine engine = new io.jpen.core.engine.Engine(io.jpen.core.engine.EngineOptions.of(
                listen, java.util.List.of(io.jpen.core.model.ServerSpec.of("127.0.0.1", 9)),
                io.jpen.core.model.Settings.defaults()))) {
            engine.start();
            String servers = "0 addr 127.0.0.1 port 9 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n";
            try (io.jpen.core.control.ControlServer tcp = io.jpen.core.control.ControlServer.start(new Penctl(engine),
                    new io.jpen.core.model.Endpoint.Tcp(null, 0))) {
                Result r = run(Integer.toString(tcp.port()), "servers");
                assertThat(r.status()).isZero();
                assertThat(r.out()).isEqualTo(servers);
                assertThat(run("127.0.0.1:" + tcp.port(), "server", "0", "weight", "2").out()).isEmpty();
                assertThat(engine.servers().get(0).spec().weight()).isEqualTo(2);
            }
            java.nio.file.Path socket = dir.resolve("jpen.ctl");
            try (io.jpen.core.control.ControlServer unix = io.jpen.core.control.ControlServer.start(new Penctl(engine),
                    new io.jpen.core.model.Endpoint.Unix(socket))) {
                Result r = run(socket.toString(), "timeout", "9");
                assertThat(r.status()).isZero();
                assertThat(r.out()).isEqualTo("9\n");
                assertThat(run(socket.toString(), "control").out()).isEqualTo(socket + "\n");
            }
            assertThat(java.nio.file.Files.exists(socket)).isFalse();
        }
    }

    @Test
    void aUnixSocketThatDoesNotExistIsReported() {
        Result r = run("/nonexistent/jpen.ctl", "servers");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("jpenctl: cannot talk to /nonexistent/jpen.ctl: ");
    }

    @Test
    void withApiTheCommandGoesThroughTheJsonApiAndAWrongTokenIsRefused() throws Exception {
        try (io.jpen.core.engine.Engine e = new io.jpen.core.engine.Engine(io.jpen.core.engine.EngineOptions.of(
                new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0), java.util.List.of(io.jpen.core.model.ServerSpec.of("127.0.0.1", 9)),
                io.jpen.core.model.Settings.defaults()));
             io.jpen.core.console.LocalConsole console = new io.jpen.core.console.LocalConsole(new Penctl(e))) {
            e.start();
            io.jpen.core.api.ApiServer api = new io.jpen.core.api.ApiServer(console,
                    io.jpen.core.api.ApiConfig.of(0, io.jpen.core.api.ApiToken.of("s3cret-token"))).start();
            try {
                String url = api.uri().toString();
                Result set = run("--api", url, "--token", "s3cret-token", "blacklist", "17");
                assertThat(set.status()).as(set.err()).isZero();
                assertThat(e.settings().blacklistSeconds()).isEqualTo(17);
                Result read = run("--api", url, "--token", "s3cret-token", "servers");
                assertThat(read.out()).startsWith("0 addr 127.0.0.1 port 9 conn 0");

                Result wrong = run("--api", url, "--token", "nope", "blacklist", "5");
                assertThat(wrong.status()).isEqualTo(1);
                assertThat(wrong.err()).contains("401");
                assertThat(e.settings().blacklistSeconds()).isEqualTo(17);
            } finally {
                api.close();
            }
        }
    }

    @Test
    void withApiButNoTokenItSaysWhereATokenComesFrom() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("JPEN_TOKEN") == null);
        Result r = run("--api", "http://127.0.0.1:9", "servers");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--token", "--token-file", "JPEN_TOKEN");
    }

    private static io.jpen.core.engine.Engine engineWithOneServer() {
        io.jpen.core.engine.Engine e = new io.jpen.core.engine.Engine(io.jpen.core.engine.EngineOptions.of(
                new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0), java.util.List.of(io.jpen.core.model.ServerSpec.of("127.0.0.1", 9)),
                io.jpen.core.model.Settings.defaults()));
        e.start();
        return e;
    }

    @Test
    void checkPassesWhileAServerCanTakeClientsAndFailsWithTheReasonOtherwise(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (io.jpen.core.engine.Engine e = engineWithOneServer();
             io.jpen.core.control.ControlServer tcp = io.jpen.core.control.ControlServer.start(new Penctl(e), new io.jpen.core.model.Endpoint.Tcp(null, 0));
             io.jpen.core.control.ControlServer unix = io.jpen.core.control.ControlServer.start(new Penctl(e),
                     new io.jpen.core.model.Endpoint.Unix(dir.resolve("jpen.ctl")))) {
            String target = "127.0.0.1:" + tcp.port();
            Result ok = run("--check", target);
            assertThat(ok.status()).as(ok.err()).isZero();
            assertThat(ok.out()).isEqualTo("ok: listening on 127.0.0.1:" + e.port() + ", 1 of 1 servers can take clients\n");
            assertThat(run("--check", dir.resolve("jpen.ctl").toString()).status()).isZero();

            assertThat(run(target, "server", "0", "blacklist", "60").status()).isZero();
            Result down = run("--check", target);
            assertThat(down.status()).isEqualTo(1);
            assertThat(down.err()).isEqualTo("jpenctl: " + target + ": fail: no server can take clients (0 of 1 servers in rotation)\n");
            assertThat(down.out()).isEmpty();
        }
    }

    @Test
    void checkFailsWhenTheControlPortIsClosedOrIsNotJpensOrDoesNotAnswer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Result refused = run("--check", "127.0.0.1:" + closed);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("jpenctl: cannot talk to 127.0.0.1:" + closed + ": Connection refused\n");

        // What Pen answers to a command it does not know.
        try (ServerSocket pen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket c = pen.accept()) {
                    c.getInputStream().read(new byte[64]);
                    c.getOutputStream().write("do_cmd: ignoring command starting with 'health'\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (java.io.IOException ignored) {
                    // the test fails on the reply instead
                }
            });
            t.start();
            Result notJpen = run("--check", "127.0.0.1:" + pen.getLocalPort());
            t.join(10_000);
            assertThat(notJpen.status()).isEqualTo(1);
            assertThat(notJpen.err()).isEqualTo("jpenctl: 127.0.0.1:" + pen.getLocalPort()
                    + " does not answer 'health' (it said: do_cmd: ignoring command starting with 'health')\n");
        }

        // A Unix socket whose owner never accepts or answers: the check gives up after --timeout.
        java.nio.file.Path socket = dir.resolve("deaf.ctl");
        try (java.nio.channels.ServerSocketChannel deaf = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            deaf.bind(java.net.UnixDomainSocketAddress.of(socket));
            Result silent = run("--check", "--timeout", "1", socket.toString());
            assertThat(silent.status()).isEqualTo(1);
            assertThat(silent.err()).isEqualTo("jpenctl: cannot talk to " + socket + ": no answer in time\n");
        }
    }

    @Test
    void checkTakesTheControlPortAndNothingElse() {
        Result r = run("--check", "127.0.0.1:1", "servers");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("jpenctl: --check takes the control port only, e.g. 'jpenctl --check 127.0.0.1:8888'\n");
        assertThat(run("--check", "host:notaport").status()).isEqualTo(2);
    }
}
