package io.jpen.core.api.client;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.api.ApiConfig;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.api.ApiServer;
import io.jpen.core.api.ApiToken;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One engine seen through a LocalConsole and a RemoteConsole at once, over the API on loopback. */
@Timeout(60)
class RemoteConsoleTest {
    private static final String TOKEN = "remote-console-test-token";
    private static final Duration TICK = Duration.ofMillis(50);
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private record Balancer(Engine engine, LocalConsole local, ApiServer api) implements AutoCloseable {
        @Override
        public void close() {
            api.close();
            local.close();
            engine.close();
        }
    }

    private Balancer balancer(int apiPort, Backend... backends) {
        Engine e = Engines.start(s -> s, backends);
        LocalConsole local = new LocalConsole(Engines.penctl(e), TICK, 1000);
        ApiServer api = new ApiServer(local, ApiConfig.of(0, ApiToken.of(TOKEN))
                .withBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), apiPort))).start();
        return new Balancer(e, local, api);
    }

    /** What both consoles must agree on about a server (rates depend on each sampler's timing, so they are left out). */
    private static List<String> counters(Snapshot s) {
        List<String> out = new ArrayList<>();
        for (ServerView v : s.servers()) {
            out.add(v.index() + " " + v.address() + ":" + v.port() + " " + v.state() + " conn " + v.connections()
                    + " total " + v.totalConnections() + " sx " + v.bytesSent() + " rx " + v.bytesReceived()
                    + " weight " + v.weight());
        }
        out.add("accepted " + s.totals().acceptedTotal() + " up " + s.totals().bytesUp() + " down " + s.totals().bytesDown());
        return out;
    }

    @Test
    void localAndRemoteConsolesSeeTheSameServersAndCounters() throws Exception {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Balancer bal = keep(balancer(0, a, b));
        RemoteConsole remote = keep(new RemoteConsole(bal.api().uri(), TOKEN));
        AtomicInteger pushed = new AtomicInteger();
        keep(remote.subscribe(s -> pushed.incrementAndGet()));
        await().atMost(PATIENCE).until(remote::connected);
        for (int i = 0; i < 6; i++) fetch(i % 2 == 0 ? "127.0.0.1" : "127.0.0.2", bal.engine().port());

        await().atMost(PATIENCE).until(() -> remote.latest() != null && bal.local().latest() != null
                && remote.latest().totals().acceptedTotal() == 6 && bal.local().latest().totals().acceptedTotal() == 6
                && counters(remote.latest()).equals(counters(bal.local().latest())));
        Snapshot r = remote.latest();
        assertThat(r.servers()).hasSize(2);
        assertThat(r.servers().stream().mapToLong(ServerView::totalConnections).sum()).isEqualTo(6);
        assertThat(r.servers().stream().mapToLong(ServerView::bytesReceived).sum()).as("a\\n and b\\n").isEqualTo(12);
        assertThat(r.settings()).isEqualTo(bal.local().latest().settings());
        assertThat(r.listen()).isEqualTo(bal.local().latest().listen());
        assertThat(pushed.get()).isPositive();
        assertThat(remote.target()).isEqualTo(bal.api().uri().toString());
    }

    @Test
    void aCommandThroughEitherConsoleChangesTheEngineTheSameWay() throws Exception {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Balancer bal = keep(balancer(0, a, b));
        RemoteConsole remote = keep(new RemoteConsole(bal.api().uri(), TOKEN));
        LocalConsole local = bal.local();
        await().atMost(PATIENCE).until(remote::connected);

        Reply viaRemote = remote.execute("server 1 weight 7").get(10, TimeUnit.SECONDS);
        assertThat(viaRemote.ok()).isTrue();
        assertThat(bal.engine().servers().get(1).spec().weight()).isEqualTo(7);
        Reply viaLocal = local.execute("server 0 weight 5").get(10, TimeUnit.SECONDS);
        assertThat(viaLocal).isEqualTo(viaRemote);
        assertThat(bal.engine().servers().get(0).spec().weight()).isEqualTo(5);

        assertThat(remote.execute("blacklist 42").get(10, TimeUnit.SECONDS).ok()).isTrue();
        assertThat(local.execute("blacklist").get(10, TimeUnit.SECONDS).text()).isEqualTo("42\n");
        assertThat(local.execute("roundrobin").get(10, TimeUnit.SECONDS).ok()).isTrue();
        assertThat(remote.execute("mode").get(10, TimeUnit.SECONDS))
                .isEqualTo(local.execute("mode").get(10, TimeUnit.SECONDS));
        assertThat(remote.execute("servers").get(10, TimeUnit.SECONDS))
                .isEqualTo(local.execute("servers").get(10, TimeUnit.SECONDS));
        assertThat(remote.execute("server 9 weight 1").get(10, TimeUnit.SECONDS))
                .isEqualTo(local.execute("server 9 weight 1").get(10, TimeUnit.SECONDS))
                .extracting(Reply::ok).isEqualTo(false);
        assertThat(remote.execute("frobnicate").get(10, TimeUnit.SECONDS))
                .isEqualTo(local.execute("frobnicate").get(10, TimeUnit.SECONDS));

        await().atMost(PATIENCE).until(() -> remote.latest().settings().blacklistSeconds() == 42
                && remote.latest().settings().roundrobin()
                && remote.latest().servers().get(0).weight() == 5 && remote.latest().servers().get(1).weight() == 7);
    }

    /** The first snapshot the remote console receives that was taken after {@code afterMillis}. */
    private static Snapshot firstAfter(java.util.concurrent.BlockingQueue<Snapshot> seen, long afterMillis) throws InterruptedException {
        while (true) {
            Snapshot s = seen.poll(15, TimeUnit.SECONDS);
            assertThat(s).as("a snapshot after " + afterMillis).isNotNull();
            if (s.takenMillis() > afterMillis) return s;
        }
    }

    @Test
    void aLiveConnectionIsInTheNextRemoteSnapshotAndClosingItThroughTheRemoteConsoleEndsIt() throws Exception {
        Backend hold = keep(new Backend("hold", Backend.Mode.HOLD));
        Balancer bal = keep(balancer(0, hold));
        RemoteConsole remote = keep(new RemoteConsole(bal.api().uri(), TOKEN));
        java.util.concurrent.LinkedBlockingQueue<Snapshot> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        keep(remote.subscribe(seen::add));
        await().atMost(PATIENCE).until(remote::connected);
        try (java.net.Socket client = new java.net.Socket(InetAddress.getLoopbackAddress(), bal.engine().port())) {
            client.setSoTimeout(10_000);
            await().atMost(PATIENCE).until(() -> bal.engine().connections().size() == 1);
            long registered = bal.engine().clock().millis();
            int id = bal.engine().connections().all().iterator().next().id();

            Snapshot next = firstAfter(seen, registered);
            assertThat(next.connections()).extracting(c -> c.id()).containsExactly(id);
            assertThat(next.connections().get(0).client()).endsWith(":" + client.getLocalPort());
            assertThat(next.totals().connections()).isEqualTo(1);

            Reply closed = remote.execute("close " + id).get(10, TimeUnit.SECONDS);
            assertThat(closed.ok()).as(closed.text()).isTrue();
            assertThat(client.getInputStream().read()).as("the client sees EOF").isEqualTo(-1);
            await().atMost(PATIENCE).until(() -> bal.engine().connections().get(id) == null);
            long gone = bal.engine().clock().millis();
            Snapshot after = firstAfter(seen, gone);
            assertThat(after.connections()).isEmpty();
            assertThat(after.totals().connections()).isZero();
        }
    }

    @Test
    void theRemoteConsoleReconnectsWhenTheBalancerRestarts() throws Exception {
        Backend a = keep(Backend.named("a"));
        Balancer first = balancer(0, a);
        int apiPort = first.api().address().getPort();
        RemoteConsole remote = keep(new RemoteConsole(first.api().uri(), TOKEN));
        await().atMost(PATIENCE).until(remote::connected);
        long firstStart = remote.latest().startedMillis();

        first.close();
        await().atMost(PATIENCE).until(() -> !remote.connected());
        assertThat(remote.lastError()).isNotBlank();
        assertThat(remote.latest()).as("the last snapshot stays for the operator").isNotNull();
        Reply whileDown = remote.execute("mode").get(20, TimeUnit.SECONDS);
        assertThat(whileDown.ok()).isFalse();
        assertThat(whileDown.text()).contains("cannot run 'mode'");

        Backend b = keep(Backend.named("b"));
        Balancer second = keep(balancer(apiPort, a, b));
        await().atMost(PATIENCE).until(() -> remote.connected() && remote.latest().servers().size() == 2);
        assertThat(remote.latest().startedMillis()).isGreaterThanOrEqualTo(firstStart);
        assertThat(remote.execute("server 1 weight 3").get(10, TimeUnit.SECONDS).ok()).isTrue();
        assertThat(second.engine().servers().get(1).spec().weight()).isEqualTo(3);
    }

    @Test
    void aRemoteConsoleWithAWrongTokenStaysDisconnectedAndSaysWhy() throws Exception {
        Backend a = keep(Backend.named("a"));
        Balancer bal = keep(balancer(0, a));
        RemoteConsole remote = keep(new RemoteConsole(bal.api().uri(), "not-the-token"));
        await().atMost(PATIENCE).until(() -> remote.lastError() != null && remote.lastError().contains("401"));
        assertThat(remote.connected()).isFalse();
        assertThat(remote.latest()).isNull();
        Reply r = remote.execute("blacklist 1").get(10, TimeUnit.SECONDS);
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).contains("401");
        assertThat(bal.engine().settings().blacklistSeconds()).isEqualTo(30);
    }

    @Test
    void aRemoteConsoleSaysInWordsWhyItCannotReachTheBalancer() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RemoteConsole remote = keep(new RemoteConsole(java.net.URI.create("http://127.0.0.1:" + port), TOKEN));
        await().atMost(PATIENCE).until(() -> remote.lastError() != null && !remote.lastError().equals("connecting"));
        assertThat(remote.lastError()).isEqualTo("cannot connect to 127.0.0.1:" + port);
        noClassNames(remote.lastError());
        Reply r = remote.execute("mode").get(20, TimeUnit.SECONDS);
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).isEqualTo("cannot run 'mode' on http://127.0.0.1:" + port + ": cannot connect to 127.0.0.1:" + port);
        noClassNames(r.text());
    }

    @Test
    void aStreamThatBreaksIsReportedInWords() throws Exception {
        // a "balancer" that accepts the WebSocket upgrade, then resets the connection
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = server.accept()) {
                    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                            java.nio.charset.StandardCharsets.US_ASCII));
                    String key = null;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:")) key = line.substring(18).strip();
                    }
                    String accept = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-1")
                            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                    s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                    s.setSoLinger(true, 0); // close with a reset
                } catch (Exception ignored) {
                    // the test sees what the console says
                }
            }, "fake-api");
            t.setDaemon(true);
            t.start();
            RemoteConsole remote = keep(new RemoteConsole(java.net.URI.create("http://127.0.0.1:" + server.getLocalPort()), TOKEN));
            await().atMost(PATIENCE).until(() -> remote.lastError() != null && remote.lastError().startsWith("the stream broke"));
            noClassNames(remote.lastError());
            assertThat(remote.lastError()).contains("127.0.0.1:" + server.getLocalPort());
        }
    }

    private static void noClassNames(String said) {
        assertThat(said).doesNotContain("java.").doesNotContain("Exception").doesNotContain("$");
    }
}
