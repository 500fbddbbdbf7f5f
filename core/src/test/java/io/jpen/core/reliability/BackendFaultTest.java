package io.jpen.core.reliability;

import io.jpen.core.testing.TestClock;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.HostPort;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.reliability.FaultyBackend.Behaviour;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Backends that die, hang, reset or come back, over real sockets: the client always learns promptly that its
 * connection ended, and jpen gives back every descriptor and connection slot.
 */
@Timeout(60)
class BackendFaultTest {
    /** How long a client waits for any sign of life; "promptly" means well within this. */
    private static final int PROMPT_MILLIS = 10_000;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final TestClock clock = new TestClock();

    private <T extends AutoCloseable> T keep(T r) {
        resources.add(r);
        return r;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    @BeforeAll
    static void warmUp() throws IOException {
        // Loads the classes (and opens the jars) the tests use, so descriptor counts compare like with like.
        try (Backend b = Backend.named("warm"); Engine e = Engines.start(s -> s, b)) {
            assertThat(fetch(e.port())).isEqualTo("warm");
        }
    }

    private Engine start(UnaryOperator<Settings> settings, int... ports) {
        List<ServerSpec> specs = new ArrayList<>();
        for (int p : ports) specs.add(ServerSpec.of("127.0.0.1", p));
        return keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), specs,
                settings.apply(Settings.defaults())).withClock(clock)));
    }

    private static Socket connect(Engine e) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port()), PROMPT_MILLIS);
        s.setSoTimeout(PROMPT_MILLIS);
        return s;
    }

    private static void readAtLeast(Socket s, int n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        int got = 0;
        while (got < n) {
            int r = in.read(buf);
            if (r < 0) throw new IOException("ended after " + got + " bytes");
            got += r;
        }
    }

    /** Reads until the connection ends (EOF or reset); a read that waits past PROMPT_MILLIS fails the test. */
    private static void readUntilEnd(Socket s) throws IOException {
        byte[] buf = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        try {
            while (in.read(buf) >= 0) {
                // discard what was in flight when the backend died
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the client did not see its connection end within " + PROMPT_MILLIS + " ms", e);
        } catch (IOException e) {
            // a reset is a prompt end too
        }
    }

    private static void awaitNothingHeld(Engine e, long fdBaseline) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(e.connections().size()).as("live connections").isZero();
            assertThat(e.pendingConnects()).as("pending connects").isZero();
            assertThat(e.servers()).allSatisfy(s -> assertThat(s.connections()).as("server %d connections", s.index()).isZero());
            assertThat(Resources.openFds()).as("open descriptors").isLessThanOrEqualTo(fdBaseline);
        });
    }

    @Test
    void aBackendKilledMidTransferEndsTheClientsConnectionPromptlyAndLeaksNoDescriptor() throws IOException {
        FaultyBackend backend = keep(new FaultyBackend(Behaviour.STREAM));
        Engine e = start(s -> s, backend.port());
        long fds = Resources.openFds();
        try (Socket c = connect(e)) {
            readAtLeast(c, 1 << 20);
            backend.kill();
            readUntilEnd(c);
        }
        awaitNothingHeld(e, fds);
    }

    @Test
    void aBackendResetMidTransferEndsTheClientsConnectionPromptly() throws IOException {
        FaultyBackend backend = keep(new FaultyBackend(Behaviour.STREAM));
        Engine e = start(s -> s, backend.port());
        long fds = Resources.openFds();
        try (Socket c = connect(e)) {
            readAtLeast(c, 1 << 20);
            backend.reset();
            readUntilEnd(c);
        }
        awaitNothingHeld(e, fds);
    }

    @Test
    void aBackendThatResetsOnTheRequestEndsTheClientsConnectionPromptly() throws IOException {
        FaultyBackend backend = keep(new FaultyBackend(Behaviour.RESET_ON_REQUEST));
        Engine e = start(s -> s, backend.port());
        long fds = Resources.openFds();
        for (int i = 0; i < 20; i++) {
            try (Socket c = connect(e)) {
                c.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                readUntilEnd(c);
            }
        }
        assertThat(backend.accepted()).isEqualTo(20);
        awaitNothingHeld(e, fds);
    }

    @Test
    void aBackendThatNeverAnswersKeepsTheClientWaitingAndNothingLeaksWhenTheClientLeaves() throws IOException {
        FaultyBackend backend = keep(new FaultyBackend(Behaviour.SILENT));
        Engine e = start(s -> s, backend.port());
        long fds = Resources.openFds();
        try (Socket c = connect(e)) {
            c.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            c.setSoTimeout(300);
            // jpen neither answers for the backend nor gives up on it: the client simply waits.
            assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(e.connections().size()).isEqualTo(1);
        }
        awaitNothingHeld(e, fds);
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.open() == 0);
    }

    @Test
    void aClientThatFloodsABackendThatNeverReadsAndThenResetsIsReleasedByTheIdleTimeout() throws Exception {
        FaultyBackend backend = keep(new FaultyBackend(Behaviour.DEAF));
        Engine e = start(s -> s.withTimeoutSeconds(1).withIdleTimeoutSeconds(60), backend.port());
        long fds = Resources.openFds();
        try (SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port()))) {
            floodUntilStuck(e, c);
            assertThat(e.connections().size()).isEqualTo(1);
            c.socket().setSoLinger(true, 0);
        }
        // jpen reads neither side of this pair (the backend takes nothing), so no transport need see the reset
        // (epoll does, NIO does not). Nothing moves any more: the idle timeout ends it.
        clock.advance(Duration.ofSeconds(61));
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
        backend.kill(); // the deaf backend never notices on its own; its descriptors are not jpen's
        awaitNothingHeld(e, fds);
    }

    @Test
    void aClientThatFloodsABackendThatNeverReadsIsReleasedWhenThatBackendDies() throws Exception {
        FaultyBackend backend = keep(new FaultyBackend(Behaviour.DEAF));
        Engine e = start(s -> s, backend.port());
        long fds = Resources.openFds();
        try (SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port()))) {
            floodUntilStuck(e, c);
            // The client says it is done sending and waits for an answer that will never come.
            c.shutdownOutput();
            backend.kill();
            c.configureBlocking(true);
            c.socket().setSoTimeout(PROMPT_MILLIS);
            readUntilEnd(c.socket());
        }
        awaitNothingHeld(e, fds);
    }

    /**
     * Writes without blocking until jpen, with the way to the deaf backend full, has stopped reading from the client
     * and the client's own socket takes no more.
     */
    private static void floodUntilStuck(Engine e, SocketChannel c) throws Exception {
        c.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        Arrays.fill(chunk.array(), (byte) 'x');
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 1);
        io.jpen.core.engine.Connection pair = e.connectionList().get(0);
        long total = 0;
        boolean full = false;
        while (!(full && !pair.reading(true)) && total < (512L << 20)) {
            chunk.clear();
            int n = c.write(chunk);
            total += n;
            full = n == 0;
            if (full) java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // a poll, not a wait for nothing
        }
        assertThat(total).as("bytes accepted before the path filled up").isLessThan(512L << 20);
    }

    @Test
    void whenEveryBackendIsDownAClientIsRefusedPromptly() throws IOException {
        FaultyBackend a = new FaultyBackend(Behaviour.SILENT);
        FaultyBackend b = new FaultyBackend(Behaviour.SILENT);
        a.kill();
        b.kill();
        Engine e = start(s -> s, a.port(), b.port());
        long fds = Resources.openFds();
        for (int i = 0; i < 5; i++) {
            try (Socket c = connect(e)) {
                readUntilEnd(c);
            }
        }
        awaitNothingHeld(e, fds);
        assertThat(e.servers()).allSatisfy(s -> assertThat(s.failures()).isEqualTo(1));
    }

    @Test
    void whenEveryBackendDiesTheEmergencyServerTakesNewClients() throws IOException {
        FaultyBackend a = keep(new FaultyBackend(Behaviour.STREAM));
        FaultyBackend b = keep(new FaultyBackend(Behaviour.STREAM));
        Backend emergency = keep(Backend.named("emergency"));
        Engine e = start(s -> s.withRoundrobin(true).withEmergency(new HostPort("127.0.0.1", emergency.port())),
                a.port(), b.port());
        long fds = Resources.openFds();
        try (Socket c1 = connect(e); Socket c2 = connect(e)) {
            readAtLeast(c1, 100_000);
            readAtLeast(c2, 100_000);
            a.kill();
            b.kill();
            readUntilEnd(c1);
            readUntilEnd(c2);
        }
        for (int i = 0; i < 3; i++) assertThat(fetch(e.port())).isEqualTo("emergency");
        awaitNothingHeld(e, fds);
    }

    @Test
    void aBackendRestartedOnTheSamePortIsUsedAgainOnceItsBlacklistTimeHasPassed() throws IOException {
        Backend a = keep(Backend.named("a"));
        Backend b = Backend.named("b");
        int bPort = b.port();
        Engine e = start(s -> s.withRoundrobin(true).withBlacklistSeconds(30), a.port(), bPort);
        assertThat(List.of(fetch(e.port()), fetch(e.port()))).containsExactlyInAnyOrder("a", "b");

        b.close();
        // The first client sent to the dead b fails over to a, and b is blacklisted.
        for (int i = 0; i < 4; i++) assertThat(fetch(e.port())).isEqualTo("a");
        assertThat(e.servers().get(1).failures()).isEqualTo(1);

        Backend restarted = keep(new Backend("b2", Backend.Mode.NAME, new InetSocketAddress(InetAddress.getLoopbackAddress(), bPort)));
        clock.advance(Duration.ofSeconds(29));
        for (int i = 0; i < 4; i++) assertThat(fetch(e.port())).as("still blacklisted").isEqualTo("a");
        assertThat(restarted.accepted()).isZero();

        clock.advance(Duration.ofSeconds(2));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) seen.add(fetch(e.port()));
        assertThat(seen).contains("b2").contains("a");
        assertThat(e.servers().get(1).failures()).isEqualTo(1);
    }
}
