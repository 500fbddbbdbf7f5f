package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Pen's sx/rx per server count every byte, including what a client sent before the server connection existed. */
@Timeout(30)
class ServerCountersTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void eachServerIsCreditedWithTheBytesItWasSentAndReturned(Transport transport) throws Exception {
        assumeTrue(transport.available(), transport + " is not available here");
        try (Backend a = Backend.echo("a"); Backend b = Backend.echo("b");
             Engine e = Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                     List.of(ServerSpec.of("127.0.0.1", a.port()), ServerSpec.of("127.0.0.1", b.port())),
                     Settings.defaults().withRoundrobin(true)).withTransport(transport))) {
            for (int i = 0; i < 4; i++) {
                try (Socket s = new Socket("127.0.0.1", e.port())) {
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    out.write("7 bytes".getBytes(StandardCharsets.US_ASCII)); // sent at once, often before jpen connects
                    s.shutdownOutput();
                    assertThat(s.getInputStream().readAllBytes()).hasSize(7);
                }
            }
            await().until(() -> e.connections().size() == 0);
            for (int i = 0; i < 2; i++) {
                assertThat(e.servers().get(i).bytesSent()).as("sx of server " + i).isEqualTo(14);
                assertThat(e.servers().get(i).bytesReceived()).as("rx of server " + i).isEqualTo(14);
            }
        }
    }
}
