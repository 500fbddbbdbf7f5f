package io.jpen.headless;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A running jpen's log follows Pen's debug level (-d, jpenctl debug N), and -a dumps what passes. */
@Timeout(120)
class JpenDebugAndDumpTest {
    @TempDir
    Path dir;
    private Process jpen;
    private HttpServer web;

    @BeforeEach
    void backend() throws IOException {
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        web.createContext("/", ex -> {
            byte[] body = "hello\n".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        web.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (jpen != null && jpen.isAlive()) {
            jpen.destroy();
            if (!jpen.waitFor(10, TimeUnit.SECONDS)) jpen.destroyForcibly();
        }
        web.stop(0);
    }

    /**
     * Starts jpen in front of the web backend and waits until it listens (and takes commands, with -C); returns the
     * port it listens on.
     */
    private int start(String... options) throws IOException {
        int listen = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Jpen.class.getName()));
        cmd.addAll(JpenProcess.controlAsRoot());
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1:" + listen, "127.0.0.1:" + web.getAddress().getPort()));
        jpen = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("jpen.out").toFile()).start();
        // The control port (-C) opens after the listener: a jpenctl sent at "listening on" could find it closed.
        String ready = List.of(options).contains("-C") ? "control port on" : "listening on";
        await().atMost(60, TimeUnit.SECONDS).until(() -> output().contains(ready) || !jpen.isAlive());
        assertThat(jpen.isAlive()).as(output()).isTrue();
        return listen;
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("jpen.out"));
    }

    private static int freePort() throws IOException {
        return io.jpen.core.testing.FreePorts.tcp();
    }

    /**
     * One HTTP/1.0 request through jpen; returns the client's port once the whole answer is back. jpen logs a
     * connection as it connects to the server and dumps bytes as they pass, both before the answer can arrive.
     */
    private static int get(int port, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).endsWith("\r\n\r\nhello\n");
            return s.getLocalPort();
        }
    }

    private static String ctl(int port, String command) {
        StringWriter out = new StringWriter();
        int rc = Jpenctl.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "127.0.0.1:" + port, command);
        return rc == 0 ? out.toString() : "jpenctl exit status " + rc;
    }

    private String linesFrom(int clientPort) throws IOException {
        return output().lines().filter(l -> l.contains(" from 127.0.0.1:" + clientPort + " ")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void jpenctlDebugTwoMakesARunningJpenLogEachNewConnectionAndDebugZeroStopsIt() throws Exception {
        int control = freePort();
        int port = start("-C", Integer.toString(control));
        int quiet = get(port, "/quiet");
        assertThat(linesFrom(quiet)).isEmpty();

        assertThat(ctl(control, "debug 2")).isEqualTo("2\n");
        int logged = get(port, "/logged");
        assertThat(linesFrom(logged)).matches("\\S+ \\[DEBUG] Relay - connection \\d+ from 127\\.0\\.0\\.1:" + logged
                + " to server 0 \\(127\\.0\\.0\\.1:" + web.getAddress().getPort() + "\\)\n");

        assertThat(ctl(control, "debug 0")).isEqualTo("0\n");
        int after = get(port, "/after");
        assertThat(linesFrom(after)).isEmpty();
    }

    @Test
    void dashDLogsEachConnectionFromTheStart() throws Exception {
        int port = start("-d");
        int logged = get(port, "/logged");
        assertThat(linesFrom(logged)).contains("[DEBUG] Relay - connection ");
    }

    @Test
    void dashADumpsTheBytesOfEachRequestAndAnswer() throws Exception {
        int port = start("-a");
        get(port, "/dumped");
        String out = output();
        assertThat(out).containsPattern("\\[INFO] dump - connection \\d+ from client 24: GET /dumped HTTP/1\\.0\r\n\r\n")
                .containsPattern("\\[INFO] dump - connection \\d+ from server \\d+: HTTP/1\\.1 200 OK\r\n");
        // The server may write its head and its body apart, and jpen dumps each read.
        assertThat(out).as("the answer's body, dumped").containsPattern("(\r\n\r\n|from server 6: )hello\n");
    }
}
