package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.jpen.core.testing.Clients.httpClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On epoll, the system calls a relayed connection costs besides the ones that move it (accept, socket, connect, reads,
 * writes, close): counted by {@code strace -c} on the engine's one event loop thread while connections go through.
 * Pen makes one of these per connection (SO_ERROR when the connect completes) and one shutdown; Netty's own epoll
 * channels made 16 (addresses read back, each new socket's family asked, TCP_NODELAY turned on then off again, SO_SNDBUF
 * and SO_LINGER read, the input shut after the peer's FIN), jpen's LeanSocketChannel makes none of those, and neither
 * does a plain pair, which has no channels at all.
 */
@Timeout(60)
class ConnectionSyscallTest {
    private static final int CONNECTIONS = 200;
    private static final String CALLS = "getsockname,getpeername,getsockopt,setsockopt,shutdown,epoll_ctl,recvfrom,accept4";

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void aRelayedConnectionReadsNoAddressAndSetsNoOptionOnItsSockets() throws Exception {
        Engine e = startedWithOneClient();
        Map<String, Long> calls = traced(loopThread(e), () -> {
            for (int i = 0; i < CONNECTIONS; i++) assertThat(httpClose(e.port())).isEqualTo("short");
            await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
        });

        // SO_ERROR finishes the connect; one shutdown (FIN to the client once the server has ended).
        assertThat(perConnection(calls, "getsockname")).as("getsockname per connection, %s", calls).isZero();
        assertThat(perConnection(calls, "getpeername")).as("getpeername per connection, %s", calls).isZero();
        assertThat(perConnection(calls, "setsockopt")).as("setsockopt per connection, %s", calls).isZero();
        assertThat(perConnection(calls, "getsockopt")).as("getsockopt per connection, %s", calls).isLessThanOrEqualTo(1.0);
        assertThat(perConnection(calls, "shutdown")).as("shutdown per connection, %s", calls).isLessThanOrEqualTo(1.0);
        // A plain pair (the default here) adds each socket once and never changes or removes it (PlainPair)
        assertThat(perConnection(calls, "epoll_ctl")).as("epoll_ctl per connection, %s", calls).isLessThanOrEqualTo(2.0);
        // Pen's three reads: the request, the answer, the client's end. Not one more to learn that a request read
        // before the server was connected was all there was, nor to learn of the server's end when it came with
        // the answer's last bytes (5 per connection before; 3.0-3.1 here, the answer's end arriving apart at times).
        assertThat(perConnection(calls, "recvfrom")).as("recvfrom per connection, %s", calls).isLessThanOrEqualTo(3.5);
    }

    @Test
    void clientsWaitingTogetherAreAcceptedTogetherUntilTheQueueIsEmpty() throws Exception {
        Engine e = startedWithOneClient();
        int waiting = 8;
        Map<String, Long> calls = traced(loopThread(e), () -> {
            // The loop is kept busy while the clients connect: the kernel completes their handshakes, and all of them
            // wait in the listener's queue when the loop next looks.
            HeldLoop held = HeldLoop.hold(e.group().next());
            for (int i = 0; i < waiting; i++) {
                resources.keep(new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), e.port()));
            }
            held.release();
            await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().acceptedTotal() == 1 + waiting);
        });
        // One accept each, and one that finds the queue empty (Netty's own handle stopped after the first: one wait
        // of the loop per client).
        assertThat(calls.get("accept4")).as("accept4, %s", calls).isEqualTo(waiting + 1L);
        assertThat(calls.get("accept4!errors")).as("accept4 that found no client, %s", calls).isEqualTo(1L);
    }

    /** An engine on one epoll loop in front of a backend, after one client (which sets the listener's options). */
    private Engine startedWithOneClient() throws Exception {
        assumeTrue(Transport.EPOLL.available(), "needs Netty's epoll transport");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is not installed");
        Backend server = resources.keep(Backend.named("short"));
        Engine e = resources.keep(new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", server.port())), Settings.defaults())
                .withTransport(Transport.EPOLL).withThreads(1)));
        e.start();
        assertThat(httpClose(e.port())).isEqualTo("short");
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
        return e;
    }

    /** The id of the engine's one event loop thread, for strace. */
    private static String loopThread(Engine e) throws Exception {
        return e.group().next().submit(
                () -> Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()).get();
    }

    interface Work {
        void run() throws Exception;
    }

    /** The calls of {@link #CALLS} thread {@code tid} of this process makes while {@code work} runs. */
    private static Map<String, Long> traced(String tid, Work work) throws Exception {
        Path summary = Files.createTempFile("jpen-strace", ".txt");
        Process strace = new ProcessBuilder("strace", "-c", "-o", summary.toString(), "-e", "trace=" + CALLS, "-p", tid)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(strace.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine(); // "strace: Process N attached" once it traces
            assumeTrue(first != null && first.contains("attached"), "strace may not trace here: " + first);
            work.run();
            strace.toHandle().destroy(); // SIGTERM: strace detaches and writes its summary
            assertThat(strace.waitFor(20, TimeUnit.SECONDS)).isTrue();
            Map<String, Long> calls = new HashMap<>();
            for (String line : Files.readAllLines(summary)) {
                // "% time     seconds  usecs/call     calls    errors syscall": calls, then errors if any, then the name
                String[] w = line.trim().split("\\s+");
                if (w.length >= 5 && w[w.length - 1].matches("[a-z_0-9]+") && CALLS.contains(w[w.length - 1])) {
                    calls.put(w[w.length - 1], Long.parseLong(w[3]));
                    if (w.length == 6) calls.put(w[w.length - 1] + "!errors", Long.parseLong(w[4]));
                }
            }
            return calls;
        } finally {
            strace.destroyForcibly();
            Files.deleteIfExists(summary);
        }
    }

    private static double perConnection(Map<String, Long> calls, String name) {
        return (double) calls.getOrDefault(name, 0L) / CONNECTIONS;
    }

}
