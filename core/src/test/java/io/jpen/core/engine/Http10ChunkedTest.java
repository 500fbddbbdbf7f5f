package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.HttpBackend;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9112 §6.1: a Transfer-Encoding in an HTTP/1.0 request means the framing is faulty (a 1.0 server cannot know
 * chunked, so a front end that forwards it as chunked and a back end that reads it otherwise disagree about where
 * the next request starts). In HTTP mode jpen answers 400 and forwards nothing.
 */
@Timeout(30)
class Http10ChunkedTest {
    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void anHttp10RequestWithTransferEncodingChunkedGets400AndReachesNoServer() throws IOException {
        HttpBackend backend = resources.keep(new HttpBackend("web"));
        Engine e = resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults().withHttp(true))));
        String reply;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /upload HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\nabcd\r\n0\r\n\r\nGET /smuggled HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertThat(reply).startsWith("HTTP/1.1 400 ").contains("Transfer-Encoding in an HTTP/1.0 request");
        assertThat(backend.requests()).isZero();

        // The same body as HTTP/1.1 still goes through.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\nabcd\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertThat(reply).startsWith("HTTP/1.1 200 ").endsWith("body=4");
    }
}
