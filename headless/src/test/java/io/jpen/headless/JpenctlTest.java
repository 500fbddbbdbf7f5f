package io.jpen.headless;

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
        assertThat(r.err()).startsWith("jpenctl: Missing required parameter: 'command'");
        assertThat(run("no_such_host:notaport", "servers").err()).startsWith("jpenctl: bad port 'notaport'");
    }

    @Test
    void helpDescribesTheCommand() {
        Result r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: jpenctl", "host:port|/path", "command", "--timeout");
    }

    @Test
    void aUnixSocketThatDoesNotExistIsReported() {
        Result r = run("/nonexistent/jpen.ctl", "servers");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("jpenctl: cannot talk to /nonexistent/jpen.ctl: ");
    }
}
