package io.jpen.core.api;

import io.jpen.core.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connections without the token that send a byte now and then took every API place (the cap was counted before
 * authentication and the read timeout renewed by each byte): the operator's console got 503 for as long as that
 * went on. Now a request has a fixed time to arrive, one address holds a bounded number of connections that have
 * not shown the token, and such connections make room for one that may show it.
 */
@Timeout(120)
class ApiLockoutTest {
    private static final byte[] REQUEST = "GET /api/v1/snapshot HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theOperatorGets200While300SlowConnectionsAreHeld() throws Exception {
        try (Backend b = Backend.named("b"); ApiFixture f = new ApiFixture(b)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> f.get("/api/v1/snapshot").statusCode() == 200);
            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicInteger rounds = new AtomicInteger();
            AtomicInteger reconnects = new AtomicInteger();
            int port = f.api.address().getPort();
            Thread attacker = new Thread(() -> trickle(port, 300, attacking, rounds, reconnects), "slow-attacker");
            attacker.setDaemon(true);
            attacker.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> rounds.get() >= 3);
                for (int i = 0; i < 5; i++) {
                    assertThat(freshConnection(f)).as("authenticated request %d on a new connection", i).isEqualTo(200);
                }
            } finally {
                attacking.set(false);
                attacker.join();
            }
            System.out.printf("API lockout: 300 slow connections held (%d reconnects by the attacker), the token's requests answered 200%n",
                    reconnects.get());
        }
    }

    @Test
    void aRequestTricklingInIsClosedAfterItsTimeDespiteEveryByte() throws Exception {
        try (Backend b = Backend.named("b"); ApiFixture f = new ApiFixture(b)) {
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), f.api.address().getPort()))) {
                c.configureBlocking(false);
                ByteBuffer in = ByteBuffer.allocate(1024);
                long sent = 0;
                int read = 0;
                while (read >= 0 && sent < REQUEST.length - 2) {
                    c.write(ByteBuffer.wrap(REQUEST, (int) sent++, 1)); // one byte every 0.5 s: 20 s for the request
                    Thread.sleep(500);
                    read = c.read(in);
                }
                assertThat(read).as("end of stream before the request was complete (%d of %d bytes sent)", sent, REQUEST.length)
                        .isEqualTo(-1);
                assertThat(sent).isLessThan(REQUEST.length - 2);
            }
        }
    }

    /** An authenticated request on a connection of its own (a client's pooled one was let in before the attack). */
    private static int freshConnection(ApiFixture f) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest r = HttpRequest.newBuilder(f.uri("/api/v1/snapshot")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN).GET().build();
        return client.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Holds {@code count} connections that send one byte of a request each second, reopening those closed. */
    private static void trickle(int port, int count, AtomicBoolean attacking, AtomicInteger rounds, AtomicInteger reconnects) {
        List<SocketChannel> open = new ArrayList<>();
        List<Integer> progress = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                open.add(connect(port));
                progress.add(0);
            }
            while (attacking.get()) {
                for (int i = 0; i < count; i++) {
                    SocketChannel c = open.get(i);
                    try {
                        int at = progress.get(i) % (REQUEST.length - 2); // never the final CRLF: never complete
                        c.write(ByteBuffer.wrap(REQUEST, at, 1));
                        progress.set(i, at + 1);
                        if (c.read(ByteBuffer.allocate(512)) < 0) throw new IOException("closed by the API");
                    } catch (IOException closed) {
                        c.close();
                        open.set(i, connect(port));
                        progress.set(i, 0);
                        reconnects.incrementAndGet();
                    }
                }
                rounds.incrementAndGet();
                Thread.sleep(1000);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            for (SocketChannel c : open) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // the test ends
                }
            }
        }
    }

    private static SocketChannel connect(int port) throws IOException {
        SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        c.configureBlocking(false);
        return c;
    }
}
