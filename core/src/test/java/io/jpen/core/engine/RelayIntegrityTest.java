package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bytes pass unaltered in both directions, on every transport and address family, with bounded memory. */
@Timeout(120)
class RelayIntegrityTest {
    private static final int MIB = 1024 * 1024;
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class)
    void sixtyFourMebibytesOfRandomBytesEachWayArriveWithIdenticalSha256(Transport transport) throws Exception {
        assumeTrue(transport.available(), transport + " is not available here");
        Backend echo = keep(Backend.echo("echo"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", echo.port())), Settings.defaults()).withTransport(transport)));
        try (Socket s = new Socket("127.0.0.1", e.port())) {
            s.setSoTimeout(30_000);
            String[] digests = exchange(s, 64 * MIB, 42);
            assertThat(digests[1]).isEqualTo(digests[0]);
        }
    }

    /** Sends {@code size} random bytes in random-sized writes while reading the echo; returns both SHA-256s. */
    static String[] exchange(Socket s, int size, long seed) throws Exception {
        MessageDigest sent = sha256();
        MessageDigest received = sha256();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                Random r = new Random(seed);
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[256 * 1024];
                int left = size;
                while (left > 0) {
                    int n = Math.min(left, 1 + r.nextInt(buf.length));
                    r.nextBytes(buf);
                    out.write(buf, 0, n);
                    sent.update(buf, 0, n);
                    left -= n;
                }
                s.shutdownOutput();
            } catch (IOException ex) {
                throw new RuntimeException(ex);
            }
        });
        InputStream in = s.getInputStream();
        byte[] buf = new byte[128 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            received.update(buf, 0, n);
            total += n;
        }
        writer.join();
        assertThat(total).isEqualTo(size);
        HexFormat hex = HexFormat.of();
        return new String[]{hex.formatHex(sent.digest()), hex.formatHex(received.digest())};
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    @Test
    void aSlowReaderDoesNotMakeJpenBufferWithoutBound() throws Exception {
        Backend source = keep(new Backend("source", Backend.Mode.SOURCE));
        Engine e = keep(Engines.start(s -> s, source));
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        long before = alloc.metric().usedDirectMemory() + alloc.metric().usedHeapMemory();
        long peak = 0;
        long read = 0;
        try (Socket s = new Socket("127.0.0.1", e.port())) {
            s.setReceiveBufferSize(64 * 1024);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16 * 1024];
            // Read slowly for a while: the server could send far more than we take.
            for (int i = 0; i < 100; i++) {
                read += in.read(buf);
                Thread.sleep(20);
                long used = alloc.metric().usedDirectMemory() + alloc.metric().usedHeapMemory() - before;
                peak = Math.max(peak, used);
            }
        }
        System.out.printf("slow reader: read %d KiB, server handed %d KiB to the kernel, jpen pool peak +%d KiB%n",
                read / 1024, source.sourced() / 1024, peak / 1024);
        // Without backpressure jpen would absorb everything the server sends (hundreds of MiB by now).
        assertThat(peak).isLessThan(16L * MIB);
        assertThat(source.sourced()).isLessThan(64L * MIB);
    }

    @Test
    void anIpv6ListenerReachesAnIpv4BackendAndAnIpv4ListenerAnIpv6Backend() throws Exception {
        Backend v4 = keep(Backend.echo("v4"));
        Backend v6 = keep(new Backend("v6", Backend.Mode.ECHO, new InetSocketAddress(InetAddress.getByName("::1"), 0)));
        Engine toV4 = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("::1", 0),
                List.of(ServerSpec.of("127.0.0.1", v4.port())), Settings.defaults())));
        Engine toV6 = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("::1", v6.port())), Settings.defaults())));
        try (Socket s = new Socket(InetAddress.getByName("::1"), toV4.port())) {
            s.setSoTimeout(10_000);
            String[] d = exchange(s, MIB, 1);
            assertThat(d[1]).isEqualTo(d[0]);
        }
        try (Socket s = new Socket("127.0.0.1", toV6.port())) {
            s.setSoTimeout(10_000);
            String[] d = exchange(s, MIB, 2);
            assertThat(d[1]).isEqualTo(d[0]);
        }
        assertThat(v4.accepted()).isEqualTo(1);
        assertThat(v6.accepted()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aUnixSocketListenerRelaysToATcpBackend(Transport transport) throws Exception {
        assumeTrue(transport.available(), transport + " is not available here");
        Backend echo = keep(Backend.echo("echo"));
        Path dir = Files.createTempDirectory("jpen");
        Path sock = dir.resolve("jpen.sock");
        keep(() -> {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        });
        keep(Engines.start(EngineOptions.of(new Endpoint.Unix(sock), List.of(ServerSpec.of("127.0.0.1", echo.port())),
                Settings.defaults()).withTransport(transport)));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            byte[] hello = "hello over unix\n".getBytes(StandardCharsets.US_ASCII);
            ch.write(ByteBuffer.wrap(hello));
            ByteBuffer reply = ByteBuffer.allocate(hello.length);
            while (reply.hasRemaining() && ch.read(reply) >= 0) {
                // read until the whole echo is back
            }
            reply.flip();
            assertThat(StandardCharsets.US_ASCII.decode(reply).toString()).isEqualTo("hello over unix\n");
        }
    }
}
