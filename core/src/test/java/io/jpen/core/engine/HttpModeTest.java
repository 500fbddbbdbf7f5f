package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.HttpBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP mode (-H) over real sockets: forwarding headers on every request, and refusals that touch no one else. */
@Timeout(30)
class HttpModeTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private Engine httpEngine(HttpBackend backend) {
        var specs = List.of(io.jpen.core.model.ServerSpec.of("127.0.0.1", backend.port()));
        return keep(Engines.start(EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0), specs,
                io.jpen.core.model.Settings.defaults().withHttp(true))));
    }

    private Socket connect(String from, int port) throws IOException {
        Socket s = keep(new Socket());
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return s;
    }

    private static void sendByteByByte(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            out.write(b);
            out.flush();
        }
    }

    /** Reads one response (status line, headers, Content-Length body) and returns "STATUS BODY". */
    private static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int run = 0;
        while (run < 4) {
            int c = in.read();
            if (c < 0) return head.size() == 0 ? "EOF" : "TRUNCATED " + head;
            head.write(c);
            run = (c == '\r' || c == '\n') ? run + 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int length = 0;
        for (String l : lines) {
            if (l.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(l.substring(15).strip());
        }
        byte[] body = in.readNBytes(length);
        return lines[0].split(" ")[1] + " " + new String(body, StandardCharsets.UTF_8).strip();
    }

    @Test
    void everyRequestOfAKeepAliveConnectionCarriesForwardedForEvenWhenSentOneByteAtATime() throws IOException {
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = httpEngine(backend);
        Socket s = connect("127.0.0.2", e.port());
        for (int i = 0; i < 3; i++) {
            String body = "x".repeat(i * 5);
            sendByteByByte(s, "POST /r" + i + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(response(s.getInputStream())).isEqualTo("200 web xff=127.0.0.2 proto=http body=" + body.length());
        }
        sendByteByByte(s, "POST /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");
        assertThat(response(s.getInputStream())).isEqualTo("200 web xff=127.0.0.2 proto=http body=4");
        sendByteByByte(s, "GET /last HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 10.1.1.1\r\n\r\n");
        assertThat(response(s.getInputStream())).isEqualTo("200 web xff=10.1.1.1, 127.0.0.2 proto=http body=0");
        assertThat(e.connections().acceptedTotal()).isEqualTo(1);
    }

    @Test
    void pipelinedRequestsInOneWriteEachGetTheHeader() throws IOException {
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = httpEngine(backend);
        Socket s = connect("127.0.0.1", e.port());
        s.getOutputStream().write("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(response(s.getInputStream())).isEqualTo("200 web xff=127.0.0.1 proto=http body=0");
        assertThat(response(s.getInputStream())).isEqualTo("200 web xff=127.0.0.1 proto=http body=0");
    }

    @Test
    void anOversizedHeadGets431AndIsClosedWhileAnotherConnectionCarriesOn() throws IOException {
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = httpEngine(backend);
        Socket other = connect("127.0.0.1", e.port());
        other.getOutputStream().write("GET /a HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(response(other.getInputStream())).startsWith("200");

        Socket big = connect("127.0.0.2", e.port());
        String head = "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(40 * 1024) + "\r\n\r\n";
        big.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        assertThat(response(big.getInputStream())).startsWith("431 jpen: request head larger than 32768 bytes");
        assertThat(big.getInputStream().read()).isEqualTo(-1);

        other.getOutputStream().write("GET /b HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(response(other.getInputStream())).startsWith("200");
    }

    @Test
    void aMalformedHeadGets400AndIsClosed() throws IOException {
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = httpEngine(backend);
        Socket s = connect("127.0.0.1", e.port());
        sendByteByByte(s, "GET / HTTP/1.1\r\nHost t\r\n\r\n");
        assertThat(response(s.getInputStream())).startsWith("400 jpen: header line without a name and colon");
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        assertThat(backend.requests()).isZero();
    }

    @Test
    void nonHttpBytesAreRefusedWithAClearErrorAndClosed() throws IOException {
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = httpEngine(backend);
        Socket s = connect("127.0.0.1", e.port());
        s.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(response(s.getInputStream())).startsWith("400 jpen: not an HTTP/1.x request line");
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        assertThat(e.events().recent()).anyMatch(ev -> ev.kind().equals("http") && ev.message().contains("non-HTTP bytes from 127.0.0.1"));
    }

    @Test
    void curlSeesTheForwardedHeadersOnEveryRequestOfOneConnection() throws Exception {
        HttpBackend backend = keep(new HttpBackend("web"));
        Engine e = httpEngine(backend);
        String url = "http://127.0.0.1:" + e.port() + "/";
        Process p = new ProcessBuilder("curl", "-s", "--max-time", "10", url + "1", "-:", url + "2")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(out).isEqualTo("web xff=127.0.0.1 proto=http body=0web xff=127.0.0.1 proto=http body=0");
        assertThat(e.connections().acceptedTotal()).isEqualTo(1);
    }
}
