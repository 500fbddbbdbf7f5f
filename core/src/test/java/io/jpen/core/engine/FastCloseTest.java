package io.jpen.core.engine;

import io.jpen.core.model.Reply;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.FastClose;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * tcp_fastclose: the named side's EOF closes the whole pair; otherwise each EOF is passed on and the pair lives
 * until both sides are done. Whatever jpen already received is delivered before it closes.
 */
@Timeout(30)
class FastCloseTest {
    private static final int BIG = 2 * 1024 * 1024;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ServerSocket server;
    private Engine engine;

    private <T extends AutoCloseable> T keep(T r) {
        resources.add(r);
        return r;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    /** A client connected through jpen, and the server's end of the same pair. */
    private record Pair(Socket client, Socket server) {}

    private void start(FastClose fc) throws IOException {
        server = keep(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        engine = keep(new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", server.getLocalPort())), Settings.defaults().withFastClose(fc))));
        engine.start();
    }

    private Pair pair() throws IOException {
        Socket c = keep(new Socket(InetAddress.getLoopbackAddress(), engine.port()));
        c.setSoTimeout(10_000);
        server.setSoTimeout(10_000);
        Socket s = keep(server.accept());
        s.setSoTimeout(10_000);
        return new Pair(c, s);
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String receive(Socket s, int n) throws IOException {
        return new String(s.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
    }

    private static int endOfStream(Socket s) throws IOException {
        return s.getInputStream().read();
    }

    private static byte[] blob() {
        byte[] b = new byte[BIG];
        new Random(42).nextBytes(b);
        return b;
    }

    /** Writes {@code data} then half-closes, on another thread (the reader drains at the same time). */
    private static CompletableFuture<Void> sendAllThenHalfClose(Socket s, byte[] data) {
        return CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(data);
                s.shutdownOutput();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static byte[] readToEnd(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        return in.readAllBytes();
    }

    private void pairsGoToZero() {
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.connections().size() == 0);
    }

    // ---- off ----

    @Test
    void offPassesTheServersHalfCloseOnAndKeepsCarryingTheClientsData() throws Exception {
        start(FastClose.OFF);
        Pair p = pair();
        send(p.server(), "bye");
        p.server().shutdownOutput();
        assertThat(receive(p.client(), 3)).isEqualTo("bye");
        assertThat(endOfStream(p.client())).isEqualTo(-1);
        // The pair is still open towards the server.
        send(p.client(), "more");
        assertThat(receive(p.server(), 4)).isEqualTo("more");
        p.client().shutdownOutput();
        assertThat(endOfStream(p.server())).isEqualTo(-1);
        pairsGoToZero();
    }

    @Test
    void offPassesTheClientsHalfCloseOnAndKeepsCarryingTheServersReply() throws Exception {
        start(FastClose.OFF);
        Pair p = pair();
        send(p.client(), "question");
        p.client().shutdownOutput();
        assertThat(receive(p.server(), 8)).isEqualTo("question");
        assertThat(endOfStream(p.server())).isEqualTo(-1);
        send(p.server(), "answer");
        assertThat(receive(p.client(), 6)).isEqualTo("answer");
        p.server().shutdownOutput();
        assertThat(endOfStream(p.client())).isEqualTo(-1);
        pairsGoToZero();
    }

    @Test
    void offCarriesMegabytesEachWayAcrossHalfClosesWithoutStalling() throws Exception {
        // Large enough to fill socket buffers, so reading pauses and resumes many times (the relay once stalled
        // for good when a flush drained at once).
        start(FastClose.OFF);
        Pair p = pair();
        byte[] data = blob();
        CompletableFuture<Void> up = sendAllThenHalfClose(p.client(), data);
        assertThat(Arrays.equals(readToEnd(p.server()), data)).as("all %d bytes to the server, then EOF", BIG).isTrue();
        up.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> down = sendAllThenHalfClose(p.server(), data);
        assertThat(Arrays.equals(readToEnd(p.client()), data)).as("all %d bytes to the client, then EOF", BIG).isTrue();
        down.get(10, TimeUnit.SECONDS);
        pairsGoToZero();
    }

    // ---- up ----

    @Test
    void upClosesThePairWhenTheServerClosesAfterDeliveringEverythingItSent() throws Exception {
        start(FastClose.UP);
        Pair p = pair();
        byte[] data = blob();
        CompletableFuture<Void> sent = sendAllThenHalfClose(p.server(), data);
        assertThat(Arrays.equals(readToEnd(p.client()), data)).as("all %d bytes, then EOF", BIG).isTrue();
        sent.get(10, TimeUnit.SECONDS);
        // jpen closed its server side too, though the client never closed anything.
        assertThat(endOfStream(p.server())).isEqualTo(-1);
        pairsGoToZero();
    }

    @Test
    void upDoesNotCloseWhenOnlyTheClientCloses() throws Exception {
        start(FastClose.UP);
        Pair p = pair();
        p.client().shutdownOutput();
        assertThat(endOfStream(p.server())).isEqualTo(-1);
        send(p.server(), "late answer");
        assertThat(receive(p.client(), 11)).isEqualTo("late answer");
        assertThat(engine.connections().size()).isEqualTo(1);
    }

    // ---- down ----

    @Test
    void downClosesThePairWhenTheClientClosesAfterDeliveringEverythingItSent() throws Exception {
        start(FastClose.DOWN);
        Pair p = pair();
        byte[] data = blob();
        CompletableFuture<Void> sent = sendAllThenHalfClose(p.client(), data);
        assertThat(Arrays.equals(readToEnd(p.server()), data)).as("all %d bytes, then EOF", BIG).isTrue();
        sent.get(10, TimeUnit.SECONDS);
        // jpen closed the client side too, though the server never closed anything.
        assertThat(endOfStream(p.client())).isEqualTo(-1);
        pairsGoToZero();
    }

    @Test
    void downDoesNotCloseWhenOnlyTheServerCloses() throws Exception {
        start(FastClose.DOWN);
        Pair p = pair();
        p.server().shutdownOutput();
        assertThat(endOfStream(p.client())).isEqualTo(-1);
        send(p.client(), "still talking");
        assertThat(receive(p.server(), 13)).isEqualTo("still talking");
        assertThat(engine.connections().size()).isEqualTo(1);
    }

    // ---- both ----

    @Test
    void bothClosesThePairWhenTheServerCloses() throws Exception {
        start(FastClose.BOTH);
        Pair p = pair();
        send(p.server(), "bye");
        p.server().shutdownOutput();
        assertThat(receive(p.client(), 3)).isEqualTo("bye");
        assertThat(endOfStream(p.client())).isEqualTo(-1);
        assertThat(endOfStream(p.server())).isEqualTo(-1);
        pairsGoToZero();
    }

    @Test
    void bothClosesThePairWhenTheClientCloses() throws Exception {
        start(FastClose.BOTH);
        Pair p = pair();
        send(p.client(), "bye");
        p.client().shutdownOutput();
        assertThat(receive(p.server(), 3)).isEqualTo("bye");
        assertThat(endOfStream(p.server())).isEqualTo(-1);
        assertThat(endOfStream(p.client())).isEqualTo(-1);
        pairsGoToZero();
    }

    // ---- run time ----

    @Test
    void aChangeAppliesToPairsAlreadyOpenAtTheirNextEof() throws Exception {
        start(FastClose.OFF);
        Pair p = pair();
        send(p.client(), "x");
        assertThat(receive(p.server(), 1)).isEqualTo("x");
        assertThat(engine.execute(state -> {
            state.settings(state.settings().withFastClose(FastClose.UP));
            return Reply.EMPTY;
        }).ok()).isTrue();
        p.server().shutdownOutput();
        assertThat(endOfStream(p.client())).isEqualTo(-1);
        assertThat(endOfStream(p.server())).isEqualTo(-1);
        pairsGoToZero();
    }
}
