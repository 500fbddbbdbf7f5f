package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.testing.TestClock;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.Server;
import io.jpen.core.testing.Engines;

import io.jpen.core.testing.UdpBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** UDP mode (-U) over real loopback sockets, with dig as the client where Pen's own tests use it. */
@Timeout(60)
class UdpModeTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private Engine udpEngine(UnaryOperator<Settings> settings, List<ServerSpec> specs, java.time.InstantSource clock) {
        return keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), specs, settings.apply(Settings.defaults()))
                .withProtocol(Protocol.UDP).withClock(clock)));
    }

    private Engine udpEngine(UnaryOperator<Settings> settings, UdpBackend... backends) {
        List<ServerSpec> specs = new ArrayList<>();
        for (UdpBackend b : backends) specs.add(ServerSpec.of("127.0.0.1", b.port()));
        return udpEngine(settings, specs, java.time.InstantSource.system());
    }

    /** One dig query from {@code from}; dig picks a fresh source port each time, so each query is a new stream. */
    private static String dig(String from, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dig", "@127.0.0.1", "-p", Integer.toString(port), "-b", from,
                "+short", "+tries=3", "+timeout=2", "name.test", "TXT").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        p.waitFor();
        return out.replace("\"", "");
    }

    private static String ask(DatagramSocket s, int port, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        s.receive(reply);
        assertThat(reply.getPort()).as("replies come from the listen address").isEqualTo(port);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
    }

    private DatagramSocket socket(String from) throws IOException {
        DatagramSocket s = keep(new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0)));
        s.setSoTimeout(5_000);
        return s;
    }

    @Test
    void withAsciiEachNewStreamsDatagramsAreDumpedBothWays() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        Engine e = udpEngine(s -> s.withAscii(true), a);
        try (io.jpen.core.testing.LogCapture dump = new io.jpen.core.testing.LogCapture("jpen.dump")) {
            String answer = ask(socket("127.0.0.1"), e.port(), "hello");
            assertThat(dump.lines()).anyMatch(l -> l.matches("INFO connection \\d+ from client 5: hello"))
                    .anyMatch(l -> l.matches("INFO connection \\d+ from server " + answer.length() + ": "
                            + java.util.regex.Pattern.quote(answer)));
        }
    }

    @Test
    void aDatagramOfSixtyFiveThousandBytesCrossesWholeInBothDirections() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        Engine e = udpEngine(s -> s, a);
        DatagramSocket s = socket("127.0.0.1");
        for (int size : new int[] {2_049, 40_000, 65_000}) {
            String request = "x".repeat(size);
            byte[] b = request.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port())));
            DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
            s.receive(reply);
            assertThat(reply.getLength()).as("reply to a %d-byte datagram", size).isEqualTo(size + 2);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII)).isEqualTo("a:" + request);
        }
    }

    @Test
    void withTrackingDigFromOneAddressAlwaysReachesTheSameServerAndAnotherAddressTheOther() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        UdpBackend b = keep(new UdpBackend("b"));
        Engine e = udpEngine(s -> s, a, b);
        String first = dig("127.0.0.1", e.port());
        assertThat(first).isIn("a", "b");
        for (int i = 0; i < 4; i++) assertThat(dig("127.0.0.1", e.port())).isEqualTo(first);
        String second = dig("127.0.0.2", e.port());
        assertThat(second).isIn("a", "b").isNotEqualTo(first);
        for (int i = 0; i < 4; i++) assertThat(dig("127.0.0.2", e.port())).isEqualTo(second);
    }

    @Test
    void withRoundRobinDigQueriesAlternateWhicheverAddressTheyComeFrom() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        UdpBackend b = keep(new UdpBackend("b"));
        Engine e = udpEngine(s -> s.withRoundrobin(true), a, b);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) seen.add(dig(i % 2 == 0 ? "127.0.0.1" : "127.0.0.2", e.port()));
        for (int i = 1; i < seen.size(); i++) assertThat(seen.get(i)).isIn("a", "b").isNotEqualTo(seen.get(i - 1));
    }

    @Test
    void oneClientPortIsOneStreamShownWithItsBytesAndDatagramsCountedPerServer() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        Engine e = udpEngine(s -> s, a);
        DatagramSocket s = socket("127.0.0.2");
        for (int i = 0; i < 3; i++) assertThat(ask(s, e.port(), "hi" + i)).isEqualTo("a:hi" + i);
        assertThat(e.connections().size()).isEqualTo(1);
        Connection c = e.connections().all().iterator().next();
        assertThat(c.datagram()).isTrue();
        assertThat(c.clientSocket()).isEqualTo(s.getLocalSocketAddress());
        assertThat(c.target()).isZero();
        assertThat(c.datagramsUp()).isEqualTo(3);
        assertThat(c.datagramsDown()).isEqualTo(3);
        assertThat(c.bytesUp()).isEqualTo(9);
        assertThat(c.bytesDown()).isEqualTo(15);
        Server server = e.servers().get(0);
        assertThat(server.datagramsSent()).isEqualTo(3);
        assertThat(server.datagramsReceived()).isEqualTo(3);
        assertThat(server.bytesSent()).isEqualTo(9);
        assertThat(server.connections()).isEqualTo(1);
        var snapshot = new io.jpen.core.console.Sampler(e, 100, 10).sample();
        assertThat(snapshot.connections()).singleElement().satisfies(v -> {
            assertThat(v.client()).contains("127.0.0.2");
            assertThat(v.bytesUp()).isEqualTo(9);
            assertThat(v.protocol()).isEqualTo("udp");
            assertThat(v.datagramsUp()).isEqualTo(3);
            assertThat(v.datagramsDown()).isEqualTo(3);
        });
        assertThat(snapshot.servers().get(0).datagramsSent()).isEqualTo(3);
        assertThat(snapshot.servers().get(0).datagramsReceived()).isEqualTo(3);
        assertThat(snapshot.listener().protocol()).isEqualTo("udp");
        var back = io.jpen.core.api.client.ApiClient.readSnapshot(io.jpen.core.api.ApiJson.writer().writeValueAsString(snapshot));
        assertThat(back.servers().get(0).datagramsSent()).isEqualTo(3);
        assertThat(back.connections().get(0).protocol()).isEqualTo("udp");
        assertThat(back.connections().get(0).datagramsDown()).isEqualTo(3);
    }

    @Test
    void aBackendAnsweringPortUnreachableIsBlacklistedAndTrafficMovesOn() throws Exception {
        UdpBackend live = keep(new UdpBackend("live"));
        int dead;
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            dead = d.getLocalPort();
        }
        // Round robin's first pick is server 1: the dead one.
        Engine e = udpEngine(s -> s.withRoundrobin(true),
                List.of(ServerSpec.of("127.0.0.1", live.port()), ServerSpec.of("127.0.0.1", dead)), java.time.InstantSource.system());
        DatagramSocket s = socket("127.0.0.1");
        assertThat(ask(s, e.port(), "x")).isEqualTo("live:x");
        long now = e.clock().millis();
        assertThat(e.servers().get(1).blacklisted(now)).isTrue();
        assertThat(e.servers().get(1).failures()).isEqualTo(1);
        for (int i = 0; i < 4; i++) assertThat(dig("127.0.0.1", e.port())).isEqualTo("live");
    }

    @Test
    void onTheNioTransportTooADeadBackendIsBlacklistedAndTrafficMovesOn() throws Exception {
        UdpBackend live = keep(new UdpBackend("live"));
        int dead;
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            dead = d.getLocalPort();
        }
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", live.port()), ServerSpec.of("127.0.0.1", dead)),
                Settings.defaults().withRoundrobin(true)).withProtocol(Protocol.UDP).withTransport(Transport.NIO)));
        DatagramSocket s = socket("127.0.0.1");
        assertThat(ask(s, e.port(), "x")).isEqualTo("live:x");
        assertThat(e.servers().get(1).failures()).isEqualTo(1);
    }

    @Test
    void aQuietStreamTurnsHalfDeadAndIsReclaimedAfterIdleTimeout() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        TestClock clock = new TestClock();
        Engine e = udpEngine(s -> s.withIdleTimeoutSeconds(30), List.of(ServerSpec.of("127.0.0.1", a.port())), clock);
        DatagramSocket s = socket("127.0.0.1");
        assertThat(ask(s, e.port(), "x")).isEqualTo("a:x");
        clock.advanceSeconds(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().all().iterator().next().state() == Connection.State.HALF_CLOSED);
        clock.advanceSeconds(30);
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().size() == 0);
        assertThat(e.servers().get(0).connections()).isZero();
        assertThat(ask(s, e.port(), "y")).as("a new datagram opens a new stream").isEqualTo("a:y");
        assertThat(e.connections().size()).isEqualTo(1);
    }

    @Test
    void whenTheTableIsFullAHalfDeadStreamMakesRoomForANewClient() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        TestClock clock = new TestClock();
        Engine e = udpEngine(s -> s.withConnMax(1), List.of(ServerSpec.of("127.0.0.1", a.port())), clock);
        DatagramSocket first = socket("127.0.0.1");
        assertThat(ask(first, e.port(), "1")).isEqualTo("a:1");
        clock.advanceSeconds(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> e.connections().all().iterator().next().state() == Connection.State.HALF_CLOSED);
        DatagramSocket second = socket("127.0.0.2");
        assertThat(ask(second, e.port(), "2")).isEqualTo("a:2");
        assertThat(e.connections().size()).isEqualTo(1);
        assertThat(e.connections().all().iterator().next().clientAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void streamsShowInStatusConnectionAndCloseCommandsLikeConnections() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        Engine e = udpEngine(s -> s, a);
        DatagramSocket s = socket("127.0.0.2");
        assertThat(ask(s, e.port(), "x")).isEqualTo("a:x");
        int id = e.connections().all().iterator().next().id();
        var status = Engines.penctl(e).execute("status");
        assertThat(status.ok()).isTrue();
        assertThat(status.text()).contains("127.0.0.2");
        var conn = Engines.penctl(e).execute("connection " + id);
        assertThat(conn.ok()).isTrue();
        assertThat(conn.text()).contains("127.0.0.2");
        assertThat(Engines.penctl(e).execute("close " + id).ok()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> e.connections().size() == 0);
        assertThat(ask(s, e.port(), "y")).as("the listener still serves").isEqualTo("a:y");
    }

    @Test
    void idleTimeoutFromTheEnginesSweepEndsAStreamWithoutTouchingTheListener() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        TestClock clock = new TestClock();
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", a.port())), Settings.defaults().withIdleTimeoutSeconds(2))
                .withProtocol(Protocol.UDP).withClock(clock).withHousekeepingMillis(50)));
        DatagramSocket s = socket("127.0.0.1");
        assertThat(ask(s, e.port(), "x")).isEqualTo("a:x");
        clock.advanceSeconds(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> e.connections().size() == 0);
        assertThat(ask(s, e.port(), "y")).isEqualTo("a:y");
    }

    @Test
    void closingAStreamLeavesTheListenerServingOthers() throws Exception {
        UdpBackend a = keep(new UdpBackend("a"));
        Engine e = udpEngine(s -> s, a);
        DatagramSocket one = socket("127.0.0.1");
        DatagramSocket two = socket("127.0.0.2");
        assertThat(ask(one, e.port(), "1")).isEqualTo("a:1");
        assertThat(ask(two, e.port(), "2")).isEqualTo("a:2");
        Connection c = e.connections().all().stream().filter(x -> x.clientAddress().getHostAddress().equals("127.0.0.1")).findFirst().orElseThrow();
        c.abort();
        await().atMost(Duration.ofSeconds(5)).until(() -> e.connections().size() == 1);
        assertThat(ask(two, e.port(), "3")).isEqualTo("a:3");
        assertThat(ask(one, e.port(), "4")).isEqualTo("a:4");
    }

    @Test
    void aBurstOfDatagramsFromOneClientAllReachTheServerAndAllRepliesComeBack() throws Exception {
        // Sent back to back, many arrive in one read loop: jpen flushes once per loop, and none may be left behind.
        // Sizes differ (up to 7 KB), so the datagrams of one loop land at different places of the landing region,
        // where an overlap would show as a changed reply. Bursts of 10 stay within the sockets' buffers.
        UdpBackend a = keep(new UdpBackend("a"));
        Engine e = udpEngine(s -> s, a);
        DatagramSocket s = socket("127.0.0.1");
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port());
        DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
        for (int burst = 0; burst < 20; burst++) {
            java.util.Set<String> expected = new java.util.HashSet<>();
            for (int i = burst * 10; i < burst * 10 + 10; i++) {
                String text = "n" + i + ":" + Character.toString('a' + i % 26).repeat(i * 37);
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(b, b.length, to));
                expected.add("a:" + text);
            }
            java.util.Set<String> replies = new java.util.HashSet<>();
            while (replies.size() < expected.size()) {
                s.receive(reply);
                replies.add(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
            }
            assertThat(replies).as("burst %d", burst).isEqualTo(expected);
        }
        assertThat(a.received()).isEqualTo(200);
    }

    @Test
    void aWildcardListenerTakesIPv6ClientsToo() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        DatagramSocket s;
        try {
            s = keep(new DatagramSocket(new InetSocketAddress(v6, 0)));
        } catch (java.net.SocketException noIPv6) {
            org.junit.jupiter.api.Assumptions.abort("needs IPv6 on loopback");
            return;
        }
        s.setSoTimeout(5_000);
        UdpBackend a = keep(new UdpBackend("a"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp(null, 0),
                List.of(ServerSpec.of("127.0.0.1", a.port())), Settings.defaults()).withProtocol(Protocol.UDP)));
        byte[] b = "six".getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, new InetSocketAddress(v6, e.port())));
        DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        s.receive(reply);
        assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("a:six");
        assertThat(ask(socket("127.0.0.1"), e.port(), "four")).isEqualTo("a:four");
    }
}
