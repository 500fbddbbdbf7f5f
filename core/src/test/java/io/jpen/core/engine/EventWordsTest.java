package io.jpen.core.engine;

import io.jpen.core.control.CommandParser;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Events an operator reads: a server that does not answer in time, a listener that moves. */
@Timeout(60)
class EventWordsTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private static String event(Engine e, String kind) {
        return e.events().recent().stream().filter(ev -> ev.kind().equals(kind)).reduce((a, b) -> b).orElseThrow().message();
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsReportedAsNoAnswerWithinTheTimeout() throws Exception {
        // A listener whose accept queue is full: the kernel drops further SYNs, so a connect gets no answer at all.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fill = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), 300);
                    } catch (java.io.IOException full) {
                        s.close();
                        break; // the queue is full
                    }
                    fill.add(s);
                }
                Backend live = resources.keep(Backend.named("live"));
                Engine e = resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                        List.of(ServerSpec.of("127.0.0.1", silent.getLocalPort()), ServerSpec.of("127.0.0.1", live.port())),
                        Settings.defaults().withTimeoutSeconds(1).withStubborn(false))));
                assertThat(fetch("127.0.0.71", e.port())).isIn("live", "");
                fetch("127.0.0.72", e.port());
                await().atMost(20, TimeUnit.SECONDS).until(() -> e.events().recent().stream().anyMatch(ev -> ev.kind().equals("server-failed")));
                assertThat(event(e, "server-failed")).isEqualTo("server 0 (127.0.0.1:" + silent.getLocalPort()
                        + ") failed: no answer within 1 s; not tried again for 30 s");
            } finally {
                for (Socket s : fill) s.close();
            }
        }
    }

    @Test
    void theTimeoutWordsNameTheTimeInSeconds() {
        assertThat(EngineEvents.reason(new io.netty.channel.ConnectTimeoutException("connection timed out after 3000 ms: /127.0.0.1:8083")))
                .isEqualTo("no answer within 3 s");
    }

    @Test
    void aListenerMoveNamesWhereItWasAndWhereItIsNow() throws Exception {
        Backend live = resources.keep(Backend.named("live"));
        Engine e = resources.keep(Engines.start(s -> s, live));
        int before = e.port();
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int next = probe.getLocalPort();
            probe.close();
            assertThat(e.execute(CommandParser.parse("listen 127.0.0.1:" + next)).ok()).isTrue();
            assertThat(event(e, "listen")).isEqualTo("listener moved from 127.0.0.1:" + before + " to 127.0.0.1:" + next
                    + " (connections already open stay)");
        }
    }
}
