package io.jpen.core.reliability;

import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.engine.Transport;
import io.jpen.core.testing.TestCerts;
import io.jpen.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.SocketFactory;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes through jpen are never altered, lost or reordered: random streams of random sizes, written and read in
 * random pieces, echoed by a backend that reads in random pieces too, and compared by SHA-256 end to end. CI
 * moves ~256 MiB each way; {@code -Djpen.integrity.mib=4096} (scripts/load.sh) moves gigabytes.
 */
@Timeout(1800)
class IntegrityTest {
    private static final long TOTAL = TestNetty.longProperty("jpen.integrity.mib", 256) << 20;
    private static final int WORKERS = 6;
    private static final byte[] NOISE = new byte[4 << 20];

    static {
        new SplittableRandom(7).nextBytes(NOISE);
    }
    private static final long SEED = TestNetty.longProperty("jpen.integrity.seed", 20261125);

    /** The default transport, and NIO (the fallback where io_uring is blocked) when that is not the default. */
    static Stream<Transport> transports() {
        return Stream.of(Transport.best(), Transport.NIO).distinct();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void randomStreamsInRandomPiecesComeBackThroughJpenExactlyAsSent(Transport transport) throws Exception {
        try (EchoBackend backend = new EchoBackend(SEED);
             Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                     List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults()).withTransport(transport))) {
            e.start();
            ExecutorService pool = Executors.newCachedThreadPool();
            AtomicLong checked = new AtomicLong();
            AtomicLong connections = new AtomicLong();
            long t0 = System.nanoTime();
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    SplittableRandom random = new SplittableRandom(SEED + w);
                    workers.add(pool.submit(() -> {
                        long budget = TOTAL / WORKERS;
                        while (budget > 0) {
                            // Log-uniform sizes: many small streams (including empty ones) and a few large.
                            long size = Math.min(budget, (long) Math.pow(2, random.nextDouble() * 26) - 1);
                            if (random.nextInt(20) == 0) size = 0;
                            roundTrip(SocketFactory.getDefault(), e.port(), size, random.split(), pool, false);
                            budget -= Math.max(size, 1);
                            checked.addAndGet(size);
                            connections.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) f.get(25, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("integrity (%s): %d connections, %d bytes each way checked by SHA-256 in %d ms%n",
                    transport.word(), connections.get(), checked.get(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertThat(checked.get()).isGreaterThan(TOTAL - TOTAL / 100);
        }
    }

    @Test
    void randomStreamsThroughTlsTerminationComeBackExactlyAsSent(@TempDir Path dir) throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        long total = TestNetty.longProperty("jpen.integrity.tls.mib", 64) << 20;
        try (EchoBackend backend = new EchoBackend(SEED);
             Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                     List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults())
                     .withTls(TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key"))))) {
            e.start();
            SocketFactory tls = TestCerts.trusting(dir.resolve("server.crt")).getSocketFactory();
            ExecutorService pool = Executors.newCachedThreadPool();
            long checked = 0;
            int connections = 0;
            long t0 = System.nanoTime();
            try {
                SplittableRandom random = new SplittableRandom(SEED);
                while (checked < total) {
                    long size = Math.min(total - checked, 1 + (long) Math.pow(2, random.nextDouble() * 24));
                    roundTrip(tls, e.port(), size, random.split(), pool, true);
                    checked += size;
                    connections++;
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("integrity (TLS termination): %d connections, %d bytes each way checked by SHA-256 in %d ms%n",
                    connections, checked, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    /** Sends {@code size} random bytes in random pieces, reads the echo in random pieces; both hashes must agree. */
    private static void roundTrip(SocketFactory factory, int port, long size, SplittableRandom random,
                                  ExecutorService pool, boolean tls) throws Exception {
        try (Socket s = factory.createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            SplittableRandom readSizes = random.split();
            Future<byte[]> received = pool.submit(() -> {
                MessageDigest d = sha256();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[256 * 1024];
                long got = 0;
                int n;
                // Over TLS the client does not half-close (close_notify ends the session): it reads what it sent.
                while ((!tls || got < size) && (n = in.read(buf, 0, (int) Math.min(1 + readSizes.nextInt(buf.length),
                        tls ? Math.max(1, size - got) : buf.length))) >= 0) {
                    d.update(buf, 0, n);
                    got += n;
                }
                assertThat(got).as("bytes echoed back").isEqualTo(size);
                return d.digest();
            });
            MessageDigest sent = sha256();
            OutputStream out = s.getOutputStream();
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(left, 1 + (long) Math.pow(2, random.nextDouble() * 18));
                // Each piece starts at a random place in a random pool, so a repeated or dropped piece shows.
                int from = random.nextInt(NOISE.length - n);
                out.write(NOISE, from, n);
                sent.update(NOISE, from, n);
                left -= n;
            }
            if (!tls) s.shutdownOutput();
            byte[] back = received.get(5, TimeUnit.MINUTES);
            HexFormat hex = HexFormat.of();
            assertThat(hex.formatHex(back)).as("SHA-256 of %d bytes echoed through jpen", size)
                    .isEqualTo(hex.formatHex(sent.digest()));
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Echoes each connection until EOF, reading and writing in random piece sizes, then half-closes. */
    static final class EchoBackend implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final SplittableRandom seeds;

        EchoBackend(long seed) throws IOException {
            seeds = new SplittableRandom(seed);
            threads.submit(this::acceptLoop);
        }

        int port() {
            return server.getLocalPort();
        }

        private Void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    SplittableRandom r;
                    synchronized (seeds) {
                        r = seeds.split();
                    }
                    threads.submit(() -> echo(s, r));
                } catch (IOException e) {
                    return null;
                }
            }
            return null;
        }

        private static Void echo(Socket s, SplittableRandom random) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[128 * 1024];
                int n;
                while ((n = in.read(buf, 0, 1 + random.nextInt(buf.length))) >= 0) out.write(buf, 0, n);
                s.shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
