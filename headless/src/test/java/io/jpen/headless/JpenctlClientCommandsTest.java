package io.jpen.headless;

import io.jpen.core.control.ControlServer;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Endpoint;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code client A forget|pin N} sent by jpenctl and by Debian's own penctl, proven by where the client goes next. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JpenctlClientCommandsTest {
    private static final Path PENCTL = Path.of("/usr/bin/penctl");

    private static String jpenctl(int port, String... words) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[words.length + 1];
        args[0] = "127.0.0.1:" + port;
        System.arraycopy(words, 0, args, 1, words.length);
        int rc = Jpenctl.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(rc).as(err.toString()).isZero();
        return out + err.toString();
    }

    private static String penctl(int port, String... words) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(PENCTL.toString(), "127.0.0.1:" + port));
        cmd.addAll(java.util.List.of(words));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void jpenctlAndPenctlPinAndForgetAClient() throws Exception {
        try (Backend a = Backend.named("a"); Backend b = Backend.named("b");
             Engine e = Engines.start(s -> s, a, b);
             ControlServer control = ControlServer.start(Engines.penctl(e), new Endpoint.Tcp("127.0.0.1", 0))) {
            String first = fetch("127.0.0.81", e.port());
            int other = first.equals("a") ? 1 : 0;
            assertThat(jpenctl(control.port(), "client", "127.0.0.81", "pin", Integer.toString(other)))
                    .isEqualTo("Client 127.0.0.81 pinned to server " + other + "\n");
            assertThat(fetch("127.0.0.81", e.port())).isNotEqualTo(first);
            assertThat(jpenctl(control.port(), "client", "127.0.0.81", "pin", "5"))
                    .isEqualTo("client 127.0.0.81 pin: no server 5 (servers are 0-1)\n");

            Assumptions.assumeTrue(Files.isExecutable(PENCTL), "Debian's penctl is not installed");
            assertThat(penctl(control.port(), "client", "127.0.0.81", "forget"))
                    .isEqualTo("Forgot client 127.0.0.81 (and its pin to server " + other + ")\n");
            assertThat(penctl(control.port(), "client", "127.0.0.81")).contains("is not in the client table");
        }
    }
}
