package io.jpen.core.engine;

import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pen's client tracking decided when a server is chosen, in the order connections arrive: a client's parallel
 * connections follow its first one, whatever order their connects complete in.
 */
@Timeout(60)
class ClientTrackingTest {
    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void eightParallelConnectionsFromOneClientLandOnOneServerRoundAfterRound() throws Exception {
        Backend a = resources.keep(Backend.named("a"));
        Backend b = resources.keep(Backend.named("b"));
        Engine e = resources.keep(Engines.start(s -> s, a, b));
        for (int round = 0; round < 20; round++) {
            // Fresh client addresses each round, so every round starts untracked, as a new browser does.
            String first = "127.0.0." + (2 + 2 * round);
            String second = "127.0.0." + (3 + 2 * round);
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    sockets.add(open(first, e.port()));
                    sockets.add(open(second, e.port()));
                }
                Set<String> firstSaw = new HashSet<>();
                Set<String> secondSaw = new HashSet<>();
                for (int i = 0; i < sockets.size(); i++) (i % 2 == 0 ? firstSaw : secondSaw).add(read(sockets.get(i)));
                assertThat(firstSaw).as("servers client %s reached in round %d", first, round).hasSize(1);
                assertThat(secondSaw).as("servers client %s reached in round %d", second, round).hasSize(1);
                assertThat(firstSaw).isSubsetOf("a", "b");
            } finally {
                for (Socket s : sockets) s.close();
            }
        }
    }

    @Test
    void aConnectionAbandonedWhileItsConnectIsHeldDoesNotMoveItsClient() throws Exception {
        Backend fast = resources.keep(Backend.named("fast"));
        HeldBackend held = resources.keep(new HeldBackend("held"));
        // Round robin's first choice is server 1: the held one.
        Engine e = resources.keep(Engines.start(EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0),
                List.of(io.jpen.core.model.ServerSpec.of("127.0.0.1", fast.port()),
                        io.jpen.core.model.ServerSpec.of("127.0.0.1", held.port())),
                io.jpen.core.model.Settings.defaults().withTimeoutSeconds(30))));
        String client = "127.0.0.9";
        Socket abandoned = open(client, e.port());
        await().atMost(10, TimeUnit.SECONDS).until(() -> e.pendingConnects() == 1);
        Socket later = open(client, e.port());
        await().atMost(10, TimeUnit.SECONDS).until(() -> e.connectionList().size() == 2
                && e.connectionList().stream().allMatch(c -> c.target() >= 0));
        abandoned.close();
        held.release();
        String laterReached = read(later);
        later.close();
        // The abandoned connection's connect completed too, and both pairs are gone.
        await().atMost(10, TimeUnit.SECONDS).until(() -> held.accepted() >= 1 && e.connectionList().isEmpty());
        assertThat(fetch(client, e.port())).as("the client's next connection").isEqualTo(laterReached);
        assertThat(laterReached).as("the second connection follows the first one's choice").isEqualTo("held");
    }

    @Test
    void whenTheTrackedServerIsBlacklistedTheClientMovesAndItsParallelConnectionsFollow() throws Exception {
        Backend a = resources.keep(Backend.named("a"));
        Backend b = resources.keep(Backend.named("b"));
        Engine e = resources.keep(Engines.start(s -> s, a, b));
        String client = "127.0.0.50";
        String tracked = fetch(client, e.port());
        int trackedIndex = tracked.equals("a") ? 0 : 1;
        String other = tracked.equals("a") ? "b" : "a";
        e.servers().get(trackedIndex).blacklist(e.clock().millis(), 60);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) sockets.add(open(client, e.port()));
            for (Socket s : sockets) assertThat(read(s)).isEqualTo(other);
        } finally {
            for (Socket s : sockets) s.close();
        }
        // As in Pen, the client now belongs to the server it moved to, also once the first is back.
        e.servers().get(trackedIndex).blacklist(e.clock().millis(), 0);
        assertThat(fetch(client, e.port())).isEqualTo(other);
    }

    private static Socket open(String from, int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(20_000);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return s;
    }

    private static String read(Socket s) throws IOException {
        s.shutdownOutput();
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    }

    /**
     * A server whose connects hang until {@link #release}: its accept queue is kept full, so the kernel drops
     * new SYNs and the connecting side retransmits them (after 1 s, 3 s, ...). Released, it accepts and answers
     * with its name, as {@link Backend} in NAME mode does.
     */
    private static final class HeldBackend implements AutoCloseable {
        private final String name;
        private final ServerSocket server = new ServerSocket();
        private final List<Socket> fillers = new ArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        private Thread acceptor;

        HeldBackend(String name) throws IOException {
            this.name = name;
            // Linux's accept queue is full at backlog + 1 connections: two fillers with a backlog of 1.
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            for (int i = 0; i < 2; i++) {
                Socket f = new Socket();
                f.connect(server.getLocalSocketAddress(), 5_000);
                fillers.add(f);
            }
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        void release() {
            acceptor = new Thread(() -> {
                int fillersLeft = fillers.size();
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        if (fillersLeft-- > 0) continue;
                        accepted.incrementAndGet();
                        s.getOutputStream().write((name + "\n").getBytes(StandardCharsets.US_ASCII));
                        s.shutdownOutput();
                        s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        if (server.isClosed()) return;
                    }
                }
            }, "held-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket f : fillers) f.close();
            if (acceptor != null) acceptor.join(5_000);
        }
    }
}
