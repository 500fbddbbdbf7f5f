package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP mode tunnels only what the server agreed to tunnel: after its 101 to an Upgrade, or its 2xx to a CONNECT.
 * Any other answer leaves the connection HTTP, and every later request is rewritten.
 */
@Timeout(30)
class HttpTunnelTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private static final String SNEAKY = "GET /b HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\n\r\n";

    @Test
    void anUpgradeTheServerAnswersWith200LeavesTheConnectionHttpAndTheNextRequestIsRewritten() throws IOException {
        RawBackend backend = resources.keep(new RawBackend());
        Socket s = connect(httpEngine(backend));
        send(s, "GET /a HTTP/1.1\r\nHost: t\r\nUpgrade: foo\r\nConnection: Upgrade\r\n\r\n");
        assertThat(response(s.getInputStream())).isEqualTo("200 ok");
        send(s, SNEAKY);
        assertThat(response(s.getInputStream())).isEqualTo("200 ok");
        String second = backend.received.get(1);
        assertThat(second).startsWith("GET /b HTTP/1.1\r\n")
                .contains("\r\nX-Forwarded-For: 6.6.6.6, 127.0.0.1\r\n")
                .contains("\r\nX-Forwarded-Proto: http\r\n")
                .doesNotContain("https");
    }

    @Test
    void aServerThatAnswers101GetsATunnelThatPassesBytesUnchanged() throws IOException {
        RawBackend backend = resources.keep(new RawBackend());
        Socket s = connect(httpEngine(backend));
        send(s, "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        assertThat(response(s.getInputStream())).isEqualTo("101 ");
        send(s, SNEAKY);
        assertThat(new String(s.getInputStream().readNBytes(SNEAKY.length()), StandardCharsets.ISO_8859_1)).isEqualTo(SNEAKY);
        assertThat(backend.received).hasSize(1 + backend.tunnelReads());
        assertThat(backend.tunnelled()).isEqualTo(SNEAKY);
    }

    @Test
    void aConnectAnswered200IsATunnelForBytesThatAreNotHttp() throws IOException {
        RawBackend backend = resources.keep(new RawBackend());
        Socket s = connect(httpEngine(backend));
        send(s, "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");
        assertThat(response(s.getInputStream())).isEqualTo("200 ");
        String hello = "\u0016\u0003\u0001\u0000\u0005hello";
        send(s, hello);
        assertThat(new String(s.getInputStream().readNBytes(hello.length()), StandardCharsets.ISO_8859_1)).isEqualTo(hello);
        assertThat(backend.tunnelled()).isEqualTo(hello);
    }

    @Test
    void aConnectTheServerRefusesLeavesTheConnectionHttpAndTheNextRequestIsRewritten() throws IOException {
        RawBackend backend = resources.keep(new RawBackend());
        Socket s = connect(httpEngine(backend));
        send(s, "CONNECT deny.example.org:443 HTTP/1.1\r\nHost: deny.example.org:443\r\n\r\n");
        assertThat(response(s.getInputStream())).isEqualTo("403 denied");
        send(s, SNEAKY);
        assertThat(response(s.getInputStream())).isEqualTo("200 ok");
        assertThat(backend.received.get(1)).contains("\r\nX-Forwarded-For: 6.6.6.6, 127.0.0.1\r\n")
                .contains("\r\nX-Forwarded-Proto: http\r\n").doesNotContain("https");
    }

    @Test
    void aRequestSentRightBehindAnIgnoredUpgradeWaitsForTheAnswerAndIsRewritten() throws IOException {
        RawBackend backend = resources.keep(new RawBackend());
        Socket s = connect(httpEngine(backend));
        // Both in one write: the second must not go out as tunnel bytes before the server has answered the first.
        send(s, "GET /a HTTP/1.1\r\nHost: t\r\nUpgrade: foo\r\n\r\n" + SNEAKY);
        assertThat(response(s.getInputStream())).isEqualTo("200 ok");
        assertThat(response(s.getInputStream())).isEqualTo("200 ok");
        assertThat(backend.received.get(1)).contains("\r\nX-Forwarded-For: 6.6.6.6, 127.0.0.1\r\n").doesNotContain("https");
    }

    private Engine httpEngine(RawBackend backend) {
        return resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults().withHttp(true))));
    }

    private Socket connect(Engine e) throws IOException {
        Socket s = resources.keep(new Socket());
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port()), 5_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Reads one response head and its Content-Length body: "STATUS BODY". */
    private static String response(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) return "EOF";
        int length = 0;
        for (String l : head.split("\r\n")) {
            if (l.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(l.substring(15).strip());
        }
        return head.split(" ")[1] + " " + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** Bytes up to and including the empty line that ends a head; null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) return null;
            head.write(c);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * An HTTP server that logs the raw bytes it receives: each request head, and in a tunnel each read (prefixed
     * "tunnel:"), which it also echoes. It answers {@code Upgrade: websocket} with 101, {@code Upgrade: foo} with
     * a 200 that keeps the connection, CONNECT with 200 (or 403 for a host starting with "deny"), anything else with
     * a 200 whose body is "ok".
     */
    private static final class RawBackend implements AutoCloseable {
        final List<String> received = new CopyOnWriteArrayList<>();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        RawBackend() throws IOException {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        open.add(s);
                        Thread c = new Thread(() -> serve(s), "raw-backend-conn");
                        c.setDaemon(true);
                        c.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "raw-backend");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        /** Everything that arrived in a tunnel, in order, however it was split into reads. */
        String tunnelled() {
            StringBuilder b = new StringBuilder();
            for (String r : received) if (r.startsWith("tunnel:")) b.append(r.substring(7));
            return b.toString();
        }

        int tunnelReads() {
            return (int) received.stream().filter(r -> r.startsWith("tunnel:")).count();
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) return;
                    received.add(head);
                    String lower = head.toLowerCase();
                    if (lower.contains("\r\nupgrade: websocket\r\n")) {
                        out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        tunnel(in, out);
                        return;
                    }
                    if (head.startsWith("CONNECT ") && !head.startsWith("CONNECT deny")) {
                        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        tunnel(in, out);
                        return;
                    }
                    String reply = head.startsWith("CONNECT ") ? "HTTP/1.1 403 Forbidden\r\nContent-Length: 6\r\n\r\ndenied"
                            : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException ignored) {
                // the client went away
            }
        }

        private void tunnel(InputStream in, OutputStream out) throws IOException {
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                received.add("tunnel:" + new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                out.write(buf, 0, n);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) s.close();
        }
    }
}
