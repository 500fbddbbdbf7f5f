package io.jpen.core.reliability;

import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.engine.Transport;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A client that half-closes after its request still gets the whole answer, however large and however slow. */
@Timeout(120)
class HalfCloseTest {
    private static final int ANSWER = 16 << 20;

    // Epoll too: Netty 4.2.18's epoll handler drops a half-closed socket from its epoll set and then fails the
    // write that waits for room (EpollSetKeeper works around it).
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL"})
    void aLargeAnswerToAClientThatHalfClosedAfterItsRequestArrivesWhole(Transport transport) throws Exception {
        assumeTrue(transport.available(), transport + " is not available here");
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                     List.of(ServerSpec.of("127.0.0.1", backend.getLocalPort())), Settings.defaults())
                     .withTransport(transport))) {
            e.start();
            Thread server = new Thread(() -> answerEveryRequest(backend), "answering-backend");
            server.setDaemon(true);
            server.start();
            for (int i = 0; i < 3; i++) {
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
                    c.setSoTimeout(20_000);
                    c.getOutputStream().write("GET /big HTTP/1.0\r\n\r\n".getBytes());
                    c.shutdownOutput();
                    // Not reading for a moment lets the answer fill every buffer, so jpen must wait for room.
                    Thread.sleep(200);
                    InputStream in = c.getInputStream();
                    byte[] buf = new byte[64 * 1024];
                    long got = 0;
                    int n;
                    while ((n = in.read(buf)) >= 0) got += n;
                    assertThat(got).as("answer %d through %s", i, transport.word()).isEqualTo(ANSWER);
                }
            }
        }
    }

    /** Reads each request to its end, answers ANSWER bytes, closes. */
    private static void answerEveryRequest(ServerSocket backend) {
        byte[] chunk = new byte[64 * 1024];
        while (!backend.isClosed()) {
            try (Socket s = backend.accept()) {
                s.getInputStream().transferTo(OutputStream.nullOutputStream());
                OutputStream out = s.getOutputStream();
                for (int sent = 0; sent < ANSWER; sent += chunk.length) out.write(chunk);
            } catch (IOException ignored) {
                // the test fails on the client side if an answer is cut short
            }
        }
    }
}
