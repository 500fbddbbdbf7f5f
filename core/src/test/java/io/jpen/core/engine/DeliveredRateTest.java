package io.jpen.core.engine;

import io.jpen.core.console.Sampler;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bytes are counted when written to the receiving side: a server that sends 4 MiB at once to a client that reads
 * slowly shows the client's pace, not the server's burst.
 */
@Timeout(60)
class DeliveredRateTest {
    private static final int TOTAL = 4 * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    /** What may be on its way to the client at a time: the kernel's unsent limit and the client's window. */
    private static final long AHEAD = 1024 * 1024;

    @Test
    void aSlowClientsDownloadIsCountedAsTheClientIsSentItNotAsTheServerBursts() throws Exception {
        assumeTrue(Transport.EPOLL.available(), "the kernel's unsent limit is set through epoll");
        try (ServerSocket burst = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = burst.accept()) {
                    s.getOutputStream().write(new byte[TOTAL]); // all at once; returns once the kernel took it
                    s.getInputStream().read(); // hold until the client is done
                } catch (Exception ignored) {
                    // the test ended
                }
            }, "burst-server");
            server.setDaemon(true);
            server.start();
            try (Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                    List.of(ServerSpec.of("127.0.0.1", burst.getLocalPort())), Settings.defaults()));
                 Socket client = new Socket()) {
                e.start();
                Sampler sampler = new Sampler(e, 100, 10);
                client.setReceiveBufferSize(CHUNK);
                client.connect(new InetSocketAddress("127.0.0.1", e.port()));
                client.setSoTimeout(10_000);
                InputStream in = client.getInputStream();
                await().until(() -> e.connections().size() == 1);
                Connection c = e.connectionList().get(0);
                byte[] buf = new byte[CHUNK];
                long read = 0;
                while (read < TOTAL / 2) {
                    read += in.readNBytes(buf, 0, CHUNK);
                    // The client has read `read` so far. jpen may have written a little more (what the kernel holds
                    // on the way to the client), but not the server's burst, most of which still waits upstream.
                    long counted = c.deliveredDown();
                    ServerView v = sampler.sample().servers().get(0);
                    assertThat(counted).as("bytes counted down when the client had read " + read).isBetween(0L, read + AHEAD);
                    assertThat(v.bytesReceived()).as("server's bytes received, client at " + read).isLessThanOrEqualTo(read + AHEAD);
                    Thread.sleep(100); // the client's pace: 64 KiB per 100 ms
                }
                in.readNBytes(TOTAL / 2);
                await().until(() -> c.deliveredDown() == TOTAL); // everything, once the client took everything
            }
        }
    }
}
