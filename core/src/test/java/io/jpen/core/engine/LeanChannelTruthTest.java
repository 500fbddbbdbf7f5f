package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.Reply;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.LeanSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.jpen.core.testing.Clients.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jpen's epoll channels answer addresses and options from what they know instead of asking the kernel: what they
 * answer is what the kernel says, for both sides of a pair, on one-address and wildcard listeners, IPv4 and IPv6, as
 * the settings change.
 */
@Timeout(30)
class LeanChannelTruthTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private Engine engine(String listen, UnaryOperator<Settings> settings, Backend backend) {
        assumeTrue(Transport.EPOLL.available(), "needs Netty's epoll transport");
        return resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp(listen, 0),
                List.of(ServerSpec.of("127.0.0.1", backend.port())), settings.apply(Settings.defaults()))
                .withTransport(Transport.EPOLL).withThreads(1).withPlainPairs(false)));
    }

    private java.net.Socket open(String host, Engine e) throws IOException {
        java.net.Socket s = resources.keep(new java.net.Socket(host, e.port()));
        s.setSoTimeout(10_000);
        return s;
    }

    private static Connection newest(Engine e) {
        return e.connectionList().stream().max(Comparator.comparingInt(Connection::id)).orElseThrow();
    }

    private static Socket kernel(Channel ch) {
        return (Socket) ((UnixChannel) ch).fd();
    }

    @ParameterizedTest(name = "listening on {0}")
    @ValueSource(strings = {"127.0.0.1", "::1", "wildcard"})
    void bothSidesAddressesAreTheOnesTheKernelHas(String listen) throws IOException {
        Backend server = resources.keep(Backend.echo("echo"));
        Engine e = engine(listen.equals("wildcard") ? null : listen, s -> s, server);
        for (String client : listen.equals("wildcard") ? List.of("127.0.0.1", "::1") : List.of(listen)) {
            java.net.Socket s = open(client, e);
            echo(s, "hello");
            Connection c = newest(e);
            assertThat(c.down()).isInstanceOf(LeanSocketChannel.class);
            assertThat(c.down().remoteAddress()).isEqualTo(s.getLocalSocketAddress());
            assertThat(c.down().localAddress()).isEqualTo(s.getRemoteSocketAddress());
            assertThat(c.down().localAddress()).isEqualTo(kernel(c.down()).localAddress());
            assertThat(c.up().remoteAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", server.port()));
            assertThat(c.up().remoteAddress()).isEqualTo(kernel(c.up()).remoteAddress());
            assertThat(c.up().localAddress()).isEqualTo(kernel(c.up()).localAddress());
        }
    }

    @Test
    void nodelayAndKeepaliveAreWhatTheSettingsSayOnBothSidesAsTheyChange() throws IOException {
        Backend server = resources.keep(Backend.echo("echo"));
        Engine e = engine("127.0.0.1", s -> s, server);
        List<UnaryOperator<Settings>> changes = List.of(s -> s,
                s -> s.withTcpNodelay(true), s -> s.withKeepalive(true), s -> s.withTcpNodelay(false),
                s -> s.withKeepalive(false).withTcpNodelay(true), s -> s.withTcpNodelay(false));
        for (UnaryOperator<Settings> change : changes) {
            assertThat(e.execute(state -> {
                state.settings(change.apply(state.settings()));
                return Reply.EMPTY;
            }).ok()).isTrue();
            // Two clients after each change: the first may come from the listener's old options, the second not.
            for (int i = 0; i < 2; i++) {
                java.net.Socket s = open("127.0.0.1", e);
                echo(s, "x");
                Connection c = newest(e);
                Settings want = e.settings();
                for (Channel ch : List.of(c.down(), c.up())) {
                    Socket k = kernel(ch);
                    assertThat(k.isTcpNoDelay()).as("TCP_NODELAY in the kernel").isEqualTo(want.tcpNodelay());
                    assertThat(k.isKeepAlive()).as("SO_KEEPALIVE in the kernel").isEqualTo(want.keepalive());
                    assertThat(ch.config().getOption(ChannelOption.TCP_NODELAY)).isEqualTo(want.tcpNodelay());
                    assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).isEqualTo(want.keepalive());
                    assertThat(ch.config().getOption(ChannelOption.SO_LINGER)).isEqualTo(k.getSoLinger());
                }
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
    }
}
