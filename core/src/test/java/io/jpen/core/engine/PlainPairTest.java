package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.Reply;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.KernelSockets;
import io.jpen.core.testing.Resources;
import io.netty.channel.epoll.LeanSocketChannel;
import io.netty.channel.unix.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static io.jpen.core.testing.Clients.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Plain pairs (PlainPair): clients that need nothing of Netty's channels are relayed without them, and what they
 * report (addresses, options) is what the kernel has; a client that a mode needs channels for gets them.
 */
@Timeout(60)
class PlainPairTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private Engine engine(String listen, Backend backend) {
        assumeTrue(Transport.EPOLL.available(), "needs Netty's epoll transport");
        return resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp(listen, 0),
                List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults())
                .withTransport(Transport.EPOLL).withThreads(1)));
    }

    private java.net.Socket open(String host, Engine e) throws IOException {
        java.net.Socket s = resources.keep(new java.net.Socket(host, e.port()));
        s.setSoTimeout(10_000);
        return s;
    }

    private static Connection newest(Engine e) {
        return e.connectionList().stream().max(Comparator.comparingInt(Connection::id)).orElseThrow();
    }

    private static void change(Engine e, UnaryOperator<Settings> change) {
        assertThat(e.execute(state -> {
            state.settings(change.apply(state.settings()));
            return Reply.EMPTY;
        }).ok()).isTrue();
    }

    @Test
    void aPlainClientHasNoChannelsAndAClientAModeNeedsThemForGetsThem() throws IOException {
        Backend server = resources.keep(Backend.echo("echo"));
        Engine e = engine("127.0.0.1", server);
        echo(open("127.0.0.1", e), "plain");
        assertThat(newest(e).down()).as("a plain client's channel").isNull();

        change(e, s -> s.withAscii(true)); // Pen's -a dump reads every byte: the next client gets channels
        echo(open("127.0.0.1", e), "dumped");
        assertThat(newest(e).down()).as("a dumped client's channel").isInstanceOf(LeanSocketChannel.class);
        assertThat(newest(e).up()).as("its server's channel").isInstanceOf(LeanSocketChannel.class);

        change(e, s -> s.withAscii(false));
        java.net.Socket again = open("127.0.0.1", e);
        echo(again, "plain again");
        assertThat(newest(e).down()).isNull();
        assertThat(newest(e).state()).isEqualTo(Connection.State.ESTABLISHED);
        assertThat(newest(e).serverConnected()).isTrue();
        assertThat(newest(e).bytesUp()).isEqualTo("plain again".length());
    }

    @ParameterizedTest(name = "listening on {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void bothSidesAddressesAreTheOnesTheKernelHas(String listen) throws IOException {
        Backend server = resources.keep(Backend.echo("echo"));
        Engine e = engine(listen, server);
        java.net.Socket s = open(listen, e);
        echo(s, "hello");
        Connection c = newest(e);
        assertThat(c.down()).isNull();
        assertThat(c.clientSocket()).isEqualTo(s.getLocalSocketAddress());
        assertThat(KernelSockets.client(c).remoteAddress()).isEqualTo(s.getLocalSocketAddress());
        assertThat(c.serverAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", server.port()));
        assertThat(c.serverAddress()).isEqualTo(KernelSockets.server(c).remoteAddress());
    }

    @Test
    void nodelayAndKeepaliveAreWhatTheSettingsSayOnBothSidesAsTheyChange() throws IOException {
        Backend server = resources.keep(Backend.echo("echo"));
        Engine e = engine("127.0.0.1", server);
        List<UnaryOperator<Settings>> changes = List.of(s -> s,
                s -> s.withTcpNodelay(true), s -> s.withKeepalive(true), s -> s.withTcpNodelay(false),
                s -> s.withKeepalive(false).withTcpNodelay(true), s -> s.withTcpNodelay(false));
        for (UnaryOperator<Settings> change : changes) {
            change(e, change);
            // Two clients after each change: the first may come from the listener's old options, the second not.
            for (int i = 0; i < 2; i++) {
                java.net.Socket s = open("127.0.0.1", e);
                echo(s, "x");
                Connection c = newest(e);
                Settings want = e.settings();
                for (Socket k : List.of(KernelSockets.client(c), KernelSockets.server(c))) {
                    assertThat(k.isTcpNoDelay()).as("TCP_NODELAY in the kernel").isEqualTo(want.tcpNodelay());
                    assertThat(k.isKeepAlive()).as("SO_KEEPALIVE in the kernel").isEqualTo(want.keepalive());
                }
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
    }

    @ParameterizedTest(name = "splice {0}")
    @ValueSource(strings = {"on", "off"})
    void bulkBothWaysThroughASlowReaderArrivesWholeAndInOrder(String splice) throws Exception {
        Backend server = resources.keep(Backend.echo("echo"));
        String before = System.getProperty("jpen.splice");
        Engine e;
        try {
            System.setProperty("jpen.splice", splice); // read when the engine is made
            e = engine("127.0.0.1", server);
        } finally {
            if (before == null) System.clearProperty("jpen.splice"); else System.setProperty("jpen.splice", before);
        }
        int size = 8 << 20;
        byte[] data = new byte[size];
        new SplittableRandom(7).nextBytes(data);
        java.net.Socket s = open("127.0.0.1", e);
        s.setReceiveBufferSize(32 * 1024);
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int off = 0; off < size; off += 100_000) out.write(data, off, Math.min(100_000, size - off));
                s.shutdownOutput();
            } catch (IOException ignored) {
                // the reader's assertion tells
            }
        }, "bulk-writer");
        writer.start();
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        int reads = 0;
        for (int r; (r = in.read(buf)) >= 0; ) {
            got.update(buf, 0, r);
            total += r;
            // Slowly at first, so the server's echo backs up into jpen and the writer is held back.
            if (++reads < 200) Thread.sleep(1);
        }
        writer.join(10_000);
        assertThat(total).isEqualTo(size);
        assertThat(got.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        if (splice.equals("off")) {
            assertThat(e.splicedBytesUp() + e.splicedBytesDown()).as("bytes spliced").isZero();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
    }

    @Test
    void theAccessLogTurnedOnWhileAClientIsSplicedLogsWhatItSendsFromThenOn(@org.junit.jupiter.api.io.TempDir
                                                                            java.nio.file.Path dir) throws Exception {
        Backend server = resources.keep(Backend.echo("echo"));
        Engine e = engine("127.0.0.1", server);
        java.net.Socket s = open("127.0.0.1", e);
        byte[] chunk = new byte[256 * 1024];
        new SplittableRandom(3).nextBytes(chunk);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        // Bulk from the client until its direction is spliced (a full read starts it).
        for (int i = 0; i < 200 && e.splicedBytesUp() == 0; i++) {
            out.write(chunk);
            in.readNBytes(chunk.length);
        }
        assertThat(e.splicedBytesUp()).as("bytes from the client spliced before the log").isPositive();
        java.nio.file.Path log = dir.resolve("access.log");
        e.accessLog().open(log);
        long splicedBefore = e.splicedBytesUp();
        for (int i = 0; i < 8; i++) {
            out.write(chunk);
            in.readNBytes(chunk.length);
        }
        e.accessLog().flush();
        assertThat(e.splicedBytesUp()).as("bytes from the client spliced once the log is on")
                .isLessThanOrEqualTo(splicedBefore + PlainPair.READ);
        assertThat(java.nio.file.Files.readAllLines(log)).as("lines for the client's reads").isNotEmpty()
                .allMatch(l -> l.startsWith("127.0.0.1 "));
    }
}
