package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static io.jpen.core.testing.Clients.httpClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On epoll, what a pair costs in {@code epoll_ctl} calls: Netty changes a socket's interest several times between
 * two waits, and jpen hands the kernel only the set in force when the loop waits (EpollSetKeeper). Pen makes 5 such
 * calls per connection; Netty alone made 10. The count is jpen's own (EpollSetKeeper counts what it asks Netty to
 * do), the same as {@code perf stat -e syscalls:sys_enter_epoll_ctl} on a running jpen shows.
 */
@Timeout(60)
class EpollInterestTest {
    private static final int CONNECTIONS = 300;

    @RegisterExtension
    final Resources resources = new Resources();

    @ParameterizedTest(name = "plain pairs {0}")
    @ValueSource(booleans = {true, false})
    void aShortConnectionChangesTheEpollSetNoMoreOftenThanPens(boolean plainPairs) throws IOException {
        assumeTrue(Transport.EPOLL.available(), "needs Netty's epoll transport");
        Backend server = resources.keep(Backend.named("short"));
        Engine e = resources.keep(new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", server.port())), Settings.defaults())
                .withTransport(Transport.EPOLL).withThreads(1).withPlainPairs(plainPairs)));
        e.start();
        httpClose(e.port()); // the listener's own registration is not a connection's
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);

        long before = e.epollCtlCalls();
        for (int i = 0; i < CONNECTIONS; i++) assertThat(httpClose(e.port())).isEqualTo("short");
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
        double perConnection = (double) (e.epollCtlCalls() - before) / CONNECTIONS;

        // A plain pair adds each socket once, wanting everything it will wait for, and never changes it (PlainPair):
        // 2, against Pen's 5. With channels: each socket added once, the server side changed once when connected
        // and once more when its input ends; closed before it leaves the set, which the kernel then does by itself
        // (LeanSocketChannel): 4, and the odd extra change (6.3 when each socket was removed before its close, 8.9
        // when every change went to the kernel at once, 10 with Netty's own handler).
        assertThat(perConnection).as("epoll_ctl calls per connection").isLessThanOrEqualTo(plainPairs ? 2.0 : 5.0);
    }

}
