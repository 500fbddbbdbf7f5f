package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.KernelSockets;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.jpen.core.testing.Clients.fetch;
import static io.jpen.core.testing.Clients.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** keepalive, tcp_nodelay, pending_max, conn_max and clients_max change at run time and apply to new connections. */
@Timeout(30)
class RuntimeSettingsTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private static void change(Engine e, UnaryOperator<Settings> f) {
        assertThat(e.execute(state -> {
            state.settings(f.apply(state.settings()));
            return Reply.EMPTY;
        }).ok()).isTrue();
    }

    private Socket open(Engine e) throws IOException {
        Socket s = keep(new Socket(InetAddress.getLoopbackAddress(), e.port()));
        s.setSoTimeout(10_000);
        return s;
    }

    /** The newest pair's two sockets, as the kernel reports their options. */
    private static List<Boolean> options(Engine e, ChannelOption<Boolean> option) throws IOException {
        Connection c = e.connectionList().stream().max(java.util.Comparator.comparingInt(Connection::id)).orElseThrow();
        return List.of(option(KernelSockets.client(c), option), option(KernelSockets.server(c), option));
    }

    private static boolean option(io.netty.channel.unix.Socket s, ChannelOption<Boolean> option) throws IOException {
        if (option == ChannelOption.SO_KEEPALIVE) return s.isKeepAlive();
        if (option == ChannelOption.TCP_NODELAY) return s.isTcpNoDelay();
        throw new IllegalArgumentException(option.name());
    }

    @Test
    void keepaliveAndNodelayApplyToBothSidesOfNewConnectionsOnly() throws Exception {
        Backend echo = keep(Backend.echo("echo"));
        Engine e = keep(Engines.start(s -> s, echo));
        Socket first = open(e);
        echo(first, "one");
        assertThat(options(e, ChannelOption.SO_KEEPALIVE)).containsExactly(false, false);
        assertThat(options(e, ChannelOption.TCP_NODELAY)).containsExactly(false, false);

        change(e, s -> s.withKeepalive(true).withTcpNodelay(true));
        Socket second = open(e);
        echo(second, "two");
        assertThat(options(e, ChannelOption.SO_KEEPALIVE)).containsExactly(true, true);
        assertThat(options(e, ChannelOption.TCP_NODELAY)).containsExactly(true, true);

        change(e, s -> s.withKeepalive(false));
        Socket third = open(e);
        echo(third, "three");
        assertThat(options(e, ChannelOption.SO_KEEPALIVE)).containsExactly(false, false);
        assertThat(options(e, ChannelOption.TCP_NODELAY)).containsExactly(true, true);

        // The connection opened before the change keeps its options and keeps working.
        Connection c0 = e.connectionList().stream().min(java.util.Comparator.comparingInt(Connection::id)).orElseThrow();
        assertThat(KernelSockets.client(c0).isKeepAlive()).isFalse();
        echo(first, "still one");
    }

    @Test
    void connMaxRefusesNewClientsOverTheLimitAndRaisingItAdmitsThemAgain() throws Exception {
        Backend echo = keep(Backend.echo("echo"));
        Engine e = keep(Engines.start(s -> s.withConnMax(1), echo));
        Socket first = open(e);
        echo(first, "in");
        Socket refused = open(e);
        assertThat(refused.getInputStream().read()).isEqualTo(-1);
        change(e, s -> s.withConnMax(2));
        Socket second = open(e);
        echo(second, "in too");
        echo(first, "undisturbed");
    }

    @Test
    void clientsMaxShrinksTheClientTableAtRunTime() throws Exception {
        Backend a = keep(Backend.named("a"));
        Engine e = keep(Engines.start(s -> s.withClientsMax(10), a));
        for (String from : List.of("127.0.0.1", "127.0.0.2", "127.0.0.3")) assertThat(fetch(from, e.port())).isEqualTo("a");
        assertThat(e.clientTable().size()).isEqualTo(3);
        change(e, s -> s.withClientsMax(1));
        assertThat(e.clientTable().size()).isEqualTo(1);
        assertThat(fetch("127.0.0.4", e.port())).isEqualTo("a");
        assertThat(e.clientTable().size()).isEqualTo(1);
    }

    /**
     * Waits until the newest client is held by pending_max: in jpen's queue for a slot, or in the kernel's backlog
     * because the listener has stopped accepting. From then on no connect of its can start until a slot frees.
     */
    private static void held(Engine e) {
        await().atMost(Duration.ofSeconds(10)).until(() -> e.pendingWaiting() > 0 || !e.accepting());
    }

    @Test
    void atPendingMaxNewClientsWaitUntilAConnectEndsOrTheLimitIsRaised() throws Exception {
        // A server whose accept queue is full drops SYNs: connects to it stay in progress.
        ServerSocket stuffed = keep(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        fill(stuffed);
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", stuffed.getLocalPort())),
                Settings.defaults().withPendingMax(1).withTimeoutSeconds(20))));

        open(e);
        await().atMost(Duration.ofSeconds(10)).until(() -> e.pendingConnects() == 1);
        Socket second = open(e);
        held(e);
        assertThat(e.pendingConnects()).isEqualTo(1);

        change(e, s -> s.withPendingMax(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> e.pendingConnects() == 2);

        Socket third = open(e);
        held(e);
        assertThat(e.pendingConnects()).isEqualTo(2);
        // Closing the stuffed server makes the pending connects fail (no server is left, so those clients are
        // closed); the waiting third client gets its turn by itself and meets the same end instead of hanging.
        closeFillers();
        stuffed.close();
        assertThat(second.getInputStream().read()).isEqualTo(-1);
        assertThat(third.getInputStream().read()).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e.pendingConnects() == 0 && e.connections().size() == 0);
        assertThat(e.connections().acceptedTotal()).isEqualTo(3);
    }

    private final List<Socket> fillers = new ArrayList<>();

    private void fill(ServerSocket server) throws IOException {
        for (int i = 0; i < 20; i++) {
            Socket s = new Socket();
            fillers.add(s);
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 300);
            } catch (SocketTimeoutException full) {
                return;
            }
        }
        throw new IllegalStateException("could not fill the accept queue of port " + server.getLocalPort());
    }

    private void closeFillers() throws IOException {
        for (Socket s : fillers) s.close();
    }

    @AfterEach
    void closeFillersAfterwards() throws IOException {
        closeFillers();
    }
}
