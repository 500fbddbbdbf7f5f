package io.jpen.core.reliability;

import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.reliability.FaultyBackend.Behaviour;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One direction flowing much faster than the reader: backpressure must pause the writer, never stall the pair. */
@Timeout(60)
class StreamingTest {

    @Test
    void aServerStreamingToAClientThatSendsNothingIsRelayedWithoutStalling() throws Exception {
        try (FaultyBackend backend = new FaultyBackend(Behaviour.STREAM);
             Engine e = Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                     List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults()));
             Socket c = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
            c.setSoTimeout(10_000); // a stalled relay shows up as a read timeout
            InputStream in = c.getInputStream();
            byte[] buf = new byte[8192];
            long got = 0;
            while (got < 64L << 20) {
                int n = in.read(buf);
                assertThat(n).as("end of stream after %d bytes", got).isPositive();
                got += n;
            }
            assertThat(got).isGreaterThanOrEqualTo(64L << 20);
        }
    }
}
