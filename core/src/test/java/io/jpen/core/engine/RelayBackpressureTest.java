package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bulk transfers, where the writability backpressure turns reading off and on many times per connection. */
@Timeout(60)
class RelayBackpressureTest {
    private static final int SIZE = 64 * 1024 * 1024;

    @Test
    void aBulkDownloadFasterThanTheOutboundBufferArrivesWholeEveryTime() throws Exception {
        try (ServerSocket blaster = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> blast(blaster), "blaster");
            server.setDaemon(true);
            server.start();
            EngineOptions options = EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                    List.of(ServerSpec.of("127.0.0.1", blaster.getLocalPort())), Settings.defaults());
            try (Engine engine = Engines.start(options)) {
                for (int i = 0; i < 4; i++) {
                    assertThat(download(engine.port())).as("bytes of download %d", i).isEqualTo(SIZE);
                }
            }
        }
    }

    /** Each client gets SIZE bytes as fast as the kernel takes them, then EOF. */
    private static void blast(ServerSocket ss) {
        byte[] chunk = new byte[256 * 1024];
        while (!ss.isClosed()) {
            try (Socket s = ss.accept(); OutputStream out = s.getOutputStream()) {
                for (int sent = 0; sent < SIZE; sent += chunk.length) out.write(chunk);
            } catch (IOException e) {
                // the client went away or the test ended; serve the next one
            }
        }
    }

    private static long download(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000); // a stalled relay fails here instead of hanging
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) total += n;
            return total;
        }
    }
}
