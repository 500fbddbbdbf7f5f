package io.jpen.core.control;

import io.jpen.core.testing.Engines;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.logging.LogbackLevels;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.LogCapture;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pen's debug level and communication dump, switched on a running engine through the control port. */
@Timeout(30)
class DebugAndDumpOverControlPortTest {
    @RegisterExtension
    final Resources resources = new Resources();

    @AfterEach
    void configuredLevelsAgain() {
        new LogbackLevels().debug(0);
    }

    private Engine engine(Backend backend) {
        Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults()), new LogbackLevels());
        e.start();
        return resources.keep(e);
    }

    /** One connection through the engine: sends {@code text}, returns the client's port once the echo is back. */
    private static int echoThrough(Engine e, String text) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII)).isEqualTo(text);
            return s.getLocalPort();
        }
    }

    @Test
    void debugTwoLogsEachNewConnectionWithItsServerAndDebugZeroStopsIt() throws Exception {
        Backend echo = resources.keep(Backend.echo("echo"));
        Engine e = engine(echo);
        int control = resources.keep(ControlServer.start(Engines.penctl(e), new Endpoint.Tcp(null, 0), null)).port();
        try (LogCapture log = new LogCapture("io.jpen")) {
            // The line is logged as the server side connects, before any byte is relayed: once the echo is back, a
            // connection that was to be logged has been.
            int quiet = echoThrough(e, "before");
            assertThat(log.linesWith(":" + quiet + " ")).isEmpty();

            assertThat(ControlClient.send(control, "debug 2")).isEqualTo("2\n");
            int logged = echoThrough(e, "debug");
            assertThat(log.linesWith(":" + logged + " ")).singleElement().asString()
                    .startsWith("DEBUG connection ").contains(" to server 0 (127.0.0.1:" + echo.port() + ")");

            assertThat(ControlClient.send(control, "debug 0")).isEqualTo("0\n");
            int after = echoThrough(e, "after");
            assertThat(log.linesWith(":" + after + " ")).isEmpty();
            assertThat(ControlClient.send(control, "debug")).isEqualTo("0\n");
        }
    }

    @Test
    void asciiDumpsTheBytesOfNewConnectionsBothWaysAsPenDoesAndNoAsciiStopsIt() throws Exception {
        Backend echo = resources.keep(Backend.echo("echo"));
        Engine e = engine(echo);
        int control = resources.keep(ControlServer.start(Engines.penctl(e), new Endpoint.Tcp(null, 0), null)).port();
        try (LogCapture dump = new LogCapture("jpen.dump")) {
            assertThat(ControlClient.send(control, "ascii")).isEmpty();
            echoThrough(e, "GET / HTTP/1.0\r\n\u0001\r\n");
            // The byte count, a colon, the bytes: white space as it is, anything else unprintable as '.'.
            assertThat(dump.lines()).anyMatch(l -> l.matches("INFO connection \\d+ from client 19: GET / HTTP/1.0\r\n.\r\n"))
                    .anyMatch(l -> l.matches("INFO connection \\d+ from server 19: GET / HTTP/1.0\r\n.\r\n"));

            assertThat(ControlClient.send(control, "no ascii")).isEmpty();
            echoThrough(e, "not dumped");
            assertThat(dump.lines()).noneMatch(l -> l.contains("not dumped"));
            assertThat(dump.lines()).as("a dumped connection's lines start with its number")
                    .allMatch(l -> l.startsWith("INFO connection 0 "));

            // Pen's -ddd: the same dump in hex.
            assertThat(ControlClient.send(control, "debug 3")).isEqualTo("3\n");
            echoThrough(e, "ping");
            assertThat(dump.lines()).contains("INFO connection 2 from client 4: 70 69 6e 67 ");
            // The client's close reaches jpen after the echo came back: the dump says so too.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> dump.lines().contains("INFO connection 2 end of input from client"));
        }
    }
}
