package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;

/** Dummy mode: jpen answers HTTP itself, with keep-alive and pipelining, and never contacts a backend. */
@Timeout(30)
class DummyModeTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private Engine dummyWithNoBackend() throws IOException {
        return keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", resources.refusingPort())), Settings.defaults().withDummy(true))));
    }

    @Test
    void dummyAnswersManyKeepAliveRequestsOnOneConnectionWithNoBackendRunning() throws Exception {
        Engine e = dummyWithNoBackend();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + e.port() + "/index.html");
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("jpen");
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(10_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        // Keep-alive honoured: the 201 requests shared a connection or two instead of opening 201.
        assertThat(e.connections().acceptedTotal()).isLessThanOrEqualTo(2);
        Server0 s = server0(e);
        assertThat(s.total).isZero();
        assertThat(s.failures).isZero();
    }

    @Test
    void dummyAnswersEachPipelinedRequestInOrderThenHonoursConnectionClose() throws Exception {
        Engine e = dummyWithNoBackend();
        int n = 100;
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < n; i++) burst.append("GET /").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        burst.append("GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(burst.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i <= n; i++) {
                Response r = readResponse(in);
                assertThat(r.statusLine).as("response %d", i).isEqualTo("HTTP/1.1 200 OK");
                assertThat(r.body).contains("jpen");
            }
            assertThat(in.read()).as("closed after the Connection: close request").isEqualTo(-1);
        }
        assertThat(server0(e).total).isZero();
    }

    @Test
    void aPipelinedHeadGetsHeadersOnlySoTheNextAnswerStaysInStep() throws Exception {
        Engine e = dummyWithNoBackend();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            assertThat(readHead(in)).isEqualTo("HTTP/1.1 200 OK");
            Response get = readResponse(in);
            assertThat(get.statusLine).isEqualTo("HTTP/1.1 200 OK");
            assertThat(get.body).contains("jpen");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void anHttp10RequestWithoutKeepAliveIsAnsweredAndClosed() throws Exception {
        Engine e = dummyWithNoBackend();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(all).startsWith("HTTP/1.1 200 OK").contains("jpen");
        }
    }

    @Test
    void aMalformedRequestGetsA400AndOnlyItsConnectionEnds() throws Exception {
        Engine e = dummyWithNoBackend();
        try (Socket good = new Socket(InetAddress.getLoopbackAddress(), e.port());
             Socket bad = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            good.setSoTimeout(10_000);
            bad.setSoTimeout(10_000);
            InputStream goodIn = new BufferedInputStream(good.getInputStream());
            good.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(goodIn).statusLine).isEqualTo("HTTP/1.1 200 OK");
            bad.getOutputStream().write("GET / HTTP/1.1\r\nHost x no colon\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String all = new String(bad.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(all).startsWith("HTTP/1.1 400");
            good.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(goodIn).statusLine).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void switchingDummyOffProxiesNewConnectionsWhileOpenOnesKeepBeingAnswered() throws Exception {
        Backend real = keep(Backend.named("real"));
        Engine e = keep(Engines.start(s -> s.withDummy(true), real));
        try (Socket early = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            early.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(early.getInputStream());
            early.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in).statusLine).isEqualTo("HTTP/1.1 200 OK");

            assertThat(e.execute(state -> {
                state.settings(state.settings().withDummy(false));
                return Reply.EMPTY;
            }).ok()).isTrue();

            assertThat(fetch(e.port())).isEqualTo("real");
            early.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Response again = readResponse(in);
            assertThat(again.statusLine).isEqualTo("HTTP/1.1 200 OK");
            assertThat(again.body).contains("jpen");
        }
        assertThat(real.accepted()).isEqualTo(1);

        e.execute(state -> {
            state.settings(state.settings().withDummy(true));
            return Reply.EMPTY;
        });
        try (Socket late = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            late.setSoTimeout(10_000);
            late.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(late.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK");
        }
        assertThat(real.accepted()).isEqualTo(1);
    }

    @Test
    void dummyConnectionsAreCountedAndShownAsEstablished() throws Exception {
        Engine e = dummyWithNoBackend();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            byte[] req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(req);
            readResponse(in);
            Connection c = e.connectionList().get(0);
            assertThat(c.state()).isEqualTo(Connection.State.ESTABLISHED);
            assertThat(c.target()).isEqualTo(io.jpen.core.select.Target.NONE);
            assertThat(c.bytesUp()).isEqualTo(req.length);
            assertThat(c.bytesDown()).isPositive();
        }
    }

    @Test
    void dummyAnswersBehindTlsTerminationAndKeepsTheConnectionAlive(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        io.jpen.core.testing.TestCerts.selfSigned(dir, "server", "localhost");
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                        List.of(ServerSpec.of("127.0.0.1", resources.refusingPort())), Settings.defaults().withDummy(true))
                .withTls(io.jpen.core.tls.TlsConfig.NONE.withCertificate(dir.resolve("server.crt"))
                        .withKey(dir.resolve("server.key")))));
        String url = "https://localhost:" + e.port() + "/";
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--cacert", dir.resolve("server.crt").toString(),
                "--resolve", "localhost:" + e.port() + ":127.0.0.1", "-o", "/dev/null", "-o", "/dev/null",
                "-w", "%{http_code}:%{num_connects} ", url, url).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(curl.waitFor()).as(out).isZero();
        // Two 200s, the second over the connection the first opened.
        assertThat(out).isEqualTo("200:1 200:0");
        assertThat(e.connections().acceptedTotal()).isEqualTo(1);
        assertThat(server0(e).total).isZero();
    }

    // ---- helpers ----

    private record Server0(long total, long failures) {}

    private static Server0 server0(Engine e) {
        return new Server0(e.servers().get(0).totalConnections(), e.servers().get(0).failures());
    }

    record Response(String statusLine, String body) {}

    /** Reads one HTTP/1.1 response framed by Content-Length. */
    static Response readResponse(InputStream in) throws IOException {
        String status = line(in);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (h.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(status, new String(body, StandardCharsets.US_ASCII));
    }

    /** Reads a response's status line and headers only (the answer to a HEAD has no body). */
    static String readHead(InputStream in) throws IOException {
        String status = line(in);
        while (!line(in).isEmpty()) {
            // headers are not needed
        }
        return status;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') b.write(c);
        if (c == -1 && b.size() == 0) throw new IOException("connection closed before a full response");
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

}
