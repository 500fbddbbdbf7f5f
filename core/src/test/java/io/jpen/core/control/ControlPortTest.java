package io.jpen.core.control;

import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.FastClose;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Drives the control port with a raw socket client, one command per connection, and checks Pen's reply shapes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ControlPortTest {
    private Backend a;
    private Backend b;
    private Engine engine;
    private ControlServer control;
    private int port;

    @BeforeEach
    void start() throws Exception {
        a = Backend.echo("a");
        b = Backend.echo("b");
        engine = Engines.start(UnaryOperator.identity(), a, b);
        control = ControlServer.start(Engines.penctl(engine), new io.jpen.core.model.Endpoint.Tcp(null, 0), null);
        port = control.port();
    }

    @AfterEach
    void stop() throws Exception {
        control.close();
        engine.close();
        a.close();
        b.close();
    }

    private String send(String command) {
        return ControlClient.send(port, command);
    }

    @Test
    void controlPortBindsLoopbackWhenNoAddressIsGiven() {
        assertThat(control.boundEndpoint().toString()).isEqualTo("127.0.0.1:" + port);
        assertThat(send("control")).isEqualTo("127.0.0.1:" + port + "\n");
    }

    @Test
    void serversListsEveryServerInPensShape() {
        assertThat(send("servers")).isEqualTo(
                "0 addr 127.0.0.1 port " + a.port() + " conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n"
                        + "1 addr 127.0.0.1 port " + b.port() + " conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n");
    }

    @Test
    void serverChangesAnyCombinationOfFields() {
        assertThat(send("server 1 max 5 hard 6 weight 2 prio 1 acl 3")).isEmpty();
        assertThat(send("servers")).contains("1 addr 127.0.0.1 port " + b.port() + " conn 0 max 5 hard 6 weight 2 prio 1 sx 0 rx 0\n");
        assertThat(engine.servers().get(1).spec().acl()).isEqualTo(3);
        assertThat(send("server 0 blacklist 60")).isEmpty();
        assertThat(engine.servers().get(0).blacklisted(engine.clock().millis())).isTrue();
        assertThat(send("server 0 address 127.0.0.1 port " + b.port())).isEmpty();
        assertThat(engine.servers().get(0).spec().port()).isEqualTo(b.port());
    }

    @Test
    void badServerCommandsSayWhatIsWrongAndChangeNothing() {
        assertThat(send("server 7 weight 1")).isEqualTo("no server 7 (servers are 0-1; 2 adds one)\n");
        assertThat(send("server 0 weight")).isEqualTo("server 0: 'weight' has no value\n");
        assertThat(send("server 0 colour red")).isEqualTo("server 0: unknown field 'colour'\n");
        assertThat(send("server 0 port 99999")).isEqualTo("port 99999 out of range 0-65535\n");
        assertThat(send("server 0 weight 4 address no_such_host.invalid")).startsWith("unknown or invalid address");
        assertThat(engine.servers().get(0).spec().weight()).isZero();
    }

    @Test
    void modeAndAlgorithmFlagsWithTheirNoForms() {
        assertThat(send("mode")).isEqualTo("no hash no roundrobin no stubborn no weight no prio\n");
        for (String w : new String[]{"hash", "roundrobin", "stubborn", "weight", "prio"}) assertThat(send(w)).isEmpty();
        assertThat(send("mode")).isEqualTo("hash roundrobin stubborn weight prio\n");
        assertThat(send("no hash")).isEmpty();
        assertThat(send("no prio")).isEmpty();
        assertThat(send("mode")).isEqualTo("no hash roundrobin stubborn weight no prio\n");
    }

    @Test
    void numericSettingsAnswerTheirValueAndSetIt() {
        assertThat(send("blacklist")).isEqualTo("30\n");
        assertThat(send("blacklist 40")).isEqualTo("40\n");
        assertThat(send("timeout")).isEqualTo("3\n");
        assertThat(send("timeout 5")).isEqualTo("5\n");
        assertThat(send("tracking 10")).isEqualTo("10\n");
        assertThat(send("conn_max 600")).isEqualTo("600\n");
        assertThat(send("clients_max 3000")).isEqualTo("3000\n");
        assertThat(send("debug 1")).isEqualTo("1\n");
        assertThat(send("pending_max 50")).isEqualTo("50\n");
        Settings s = engine.settings();
        assertThat(s.blacklistSeconds()).isEqualTo(40);
        assertThat(s.timeoutSeconds()).isEqualTo(5);
        assertThat(s.trackingSeconds()).isEqualTo(10);
        assertThat(s.connMax()).isEqualTo(600);
        assertThat(s.clientsMax()).isEqualTo(3000);
        assertThat(s.debug()).isEqualTo(1);
        assertThat(s.pendingMax()).isEqualTo(50);
    }

    @Test
    void malformedNumbersAreExplainedAndChangeNothing() {
        assertThat(send("blacklist abc")).isEqualTo("blacklist: 'abc' is not a number\n");
        assertThat(send("timeout 0")).isEqualTo("timeout: 0 is below the minimum 1\n");
        assertThat(send("conn_max -1")).isEqualTo("conn_max: -1 is below the minimum 1\n");
        assertThat(send("tracking 1 2")).isEqualTo("tracking takes at most one number\n");
        assertThat(engine.settings()).isEqualTo(Settings.defaults());
    }

    @Test
    void settingsOfOtherFeaturesAreSetAndQueried() {
        assertThat(send("idle_timeout")).isEqualTo("Idle timeout: 0 seconds\n");
        assertThat(send("idle_timeout 5")).isEqualTo("Idle timeout: 5 seconds\n");
        assertThat(send("idlers")).isEqualTo("Idlers: 0/0\n");
        // The reply comes as the idlers start connecting; they really open, and the backends hold them.
        assertThat(send("idlers 3")).matches("Idlers: [0-3]/3\n");
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> send("idlers").equals("Idlers: 3/3\n"));
        assertThat(a.openConnections() + b.openConnections()).isEqualTo(3);
        assertThat(send("tcp_fastclose both")).isEmpty();
        assertThat(send("tcp_fastclose")).isEqualTo("both\n");
        assertThat(send("tcp_fastclose sideways")).isEqualTo("tcp_fastclose takes up, down, both or off, not 'sideways'\n");
        for (String f : new String[]{"dummy", "http", "tcp_nodelay", "keepalive", "ascii"}) {
            assertThat(send(f)).isEmpty();
        }
        Settings s = engine.settings();
        assertThat(s.idleTimeoutSeconds()).isEqualTo(5);
        assertThat(s.idlers()).isEqualTo(3);
        assertThat(s.fastClose()).isEqualTo(FastClose.BOTH);
        assertThat(s.dummy() && s.http() && s.tcpNodelay() && s.keepalive() && s.ascii()).isTrue();
        for (String f : new String[]{"dummy", "http", "tcp_nodelay", "keepalive", "ascii", "abort_on_error"}) {
            assertThat(send("no " + f)).isEmpty();
        }
        s = engine.settings();
        assertThat(s.dummy() || s.http() || s.tcpNodelay() || s.keepalive() || s.ascii() || s.abortOnError()).isFalse();
        // Pen's abort_on_error leaves a core file; a JVM cannot, and jpen says so rather than pretend.
        assertThat(send("abort_on_error")).isEqualTo(Settings.NO_ABORT_ON_ERROR + "\n");
        assertThat(engine.settings()).isEqualTo(s);
    }

    @Test
    void unknownCommandsGetPensDiagnostic() {
        assertThat(send("frobnicate now")).isEqualTo("do_cmd: ignoring command starting with 'frobnicate'\n");
        assertThat(send("no frobnicate")).isEqualTo("do_cmd: ignoring command starting with 'no frobnicate'\n");
        assertThat(send("# just a comment")).isEmpty();
        assertThat(send("")).isEmpty();
    }

    @Test
    void pidListenAndControlReportTheProcess() {
        assertThat(send("pid")).isEqualTo(ProcessHandle.current().pid() + "\n");
        assertThat(send("listen")).isEqualTo("127.0.0.1:" + engine.port() + "\n");
        assertThat(send("exit")).isEqualTo("Exit is not enabled; restart with -X flag\n");
        assertThat(engine.running()).isTrue();
    }

    @Test
    void listenRebindsWithoutDroppingEstablishedConnections() throws Exception {
        int before = engine.port();
        try (Socket held = new Socket(InetAddress.getLoopbackAddress(), before)) {
            held.setSoTimeout(10_000);
            assertThat(echo(held, "one")).isEqualTo("one");
            int free;
            try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort();
            }
            assertThat(send("listen 127.0.0.1:" + free)).isEqualTo("127.0.0.1:" + free + "\n");
            assertThat(engine.port()).isEqualTo(free);
            assertThat(echo(held, "two")).isEqualTo("two");
            try (Socket fresh = new Socket(InetAddress.getLoopbackAddress(), free)) {
                fresh.setSoTimeout(10_000);
                assertThat(echo(fresh, "three")).isEqualTo("three");
            }
        }
        assertThat(send("listen 127.0.0.1:notaport")).startsWith("listen: bad port 'notaport'");
    }

    @Test
    void closeEndsThatConnectionAndNoOther() throws Exception {
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), engine.port());
             Socket second = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
            first.setSoTimeout(10_000);
            second.setSoTimeout(10_000);
            assertThat(echo(first, "x")).isEqualTo("x");
            assertThat(echo(second, "y")).isEqualTo("y");
            int firstId = idOfConnectionFrom(first);
            assertThat(send("close " + firstId)).isEqualTo("Forcibly closing connection " + firstId + "\n");
            assertThat(first.getInputStream().read()).isEqualTo(-1);
            assertThat(echo(second, "still here")).isEqualTo("still here");
            await().atMost(5, TimeUnit.SECONDS).until(() -> engine.connections().size() == 1);
        }
        assertThat(send("close 999")).isEqualTo("close: no connection 999\n");
        assertThat(send("close x")).isEqualTo("close: 'x' is not a number\n");
    }

    private int idOfConnectionFrom(Socket s) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> engine.connections().all().stream()
                .anyMatch(c -> c.clientSocket() instanceof java.net.InetSocketAddress isa && isa.getPort() == s.getLocalPort()));
        return engine.connections().all().stream()
                .filter(c -> ((java.net.InetSocketAddress) c.clientSocket()).getPort() == s.getLocalPort())
                .findFirst().orElseThrow().id();
    }

    @Test
    void connectionSocketAndRecentDescribeLiveTraffic() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
            s.setSoTimeout(10_000);
            assertThat(echo(s, "hello")).isEqualTo("hello");
            int id = idOfConnectionFrom(s);
            String c = send("connection " + id);
            assertThat(c).matches("Connection " + id + ":\nstate = established\ndownfd = -?\\d+, upfd = -?\\d+\n"
                    + "client = 127\\.0\\.0\\.1:" + s.getLocalPort() + ", server = [01]\npend = 0\n");
            int downFd = Integer.parseInt(c.replaceAll("(?s).*downfd = (-?\\d+),.*", "$1"));
            if (downFd >= 0) assertThat(send("socket " + downFd)).isEqualTo("Socket " + downFd + " belongs to connection " + id + "\n");
            assertThat(send("socket 99999")).isEqualTo("Socket 99999 belongs to connection -1\n");
            assertThat(send("recent")).isEqualTo("127.0.0.1 connects 1 sx 5 rx 5\n");
            assertThat(send("recent 10")).isEqualTo("127.0.0.1 connects 1 sx 5 rx 5\n");
        }
        assertThat(send("connection 999")).isEqualTo("connection: no connection 999\n");
    }

    @Test
    void statusIsAnHtml5PageAndIsWrittenToTheWebStatsFile(@TempDir Path dir) throws Exception {
        Engines.penctl(engine).daemon().fileRoots(FileRoots.of(java.util.List.of(dir)));
        Path web = dir.resolve("status.html");
        assertThat(send("web_stats")).isEmpty();
        assertThat(send("web_stats " + web)).isEqualTo(web + "\n");
        assertThat(send("web_stats")).isEqualTo(web + "\n");
        String page = send("status");
        assertThat(page).startsWith("<!DOCTYPE html>\n<html lang=\"en\">").contains("<h2>Servers</h2>",
                "<h2>Active clients</h2>", "<h2>Active connections</h2>").endsWith("</html>\n");
        assertThat(Files.readString(web)).isEqualTo(page);
        assertThat(send("no web_stats")).isEmpty();
        assertThat(send("web_stats")).isEmpty();
    }

    @Test
    void logOpensTheAccessLogAndWritesPensLineFormat(@TempDir Path dir) throws Exception {
        Engines.penctl(engine).daemon().fileRoots(FileRoots.of(java.util.List.of(dir)));
        Path log = dir.resolve("access.log");
        assertThat(send("log")).isEmpty();
        assertThat(send("log " + log)).isEqualTo(log + "\n");
        assertThat(send("log")).isEqualTo(log + "\n");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
            s.setSoTimeout(10_000);
            assertThat(echo(s, "GET /index.html HTTP/1.0\r\n\r\n")).startsWith("GET /index.html");
        }
        engine.accessLog().flush();
        assertThat(Files.readString(log)).matches("127\\.0\\.0\\.1 \\d{10} 127\\.0\\.0\\.1 GET /index\\.html HTTP/1\\.0\n");
        assertThat(send("no log")).isEmpty();
        assertThat(send("log")).isEmpty();
        Path nowhere = dir.resolve("no/such/dir/x.log");
        assertThat(send("log " + nowhere)).isEqualTo("log: " + nowhere + ": no such directory\n");
    }

    @Test
    void includeAndWriteGoThroughTheControlPort(@TempDir Path dir) throws Exception {
        Engines.penctl(engine).daemon().fileRoots(FileRoots.of(java.util.List.of(dir)));
        Path conf = dir.resolve("inc.pen");
        Files.writeString(conf, "# tuning\ntimeout 7\nhash\n");
        assertThat(send("include " + conf)).isEmpty();
        assertThat(engine.settings().timeoutSeconds()).isEqualTo(7);
        assertThat(engine.settings().hash()).isTrue();
        Path out = dir.resolve("written.pen");
        assertThat(send("write " + out)).isEmpty();
        assertThat(Files.readString(out)).contains("timeout 7\n", "\nhash\n");
        assertThat(send("write")).isEqualTo("write: no file named and jpen was started without -F\n");
        Files.writeString(conf, "timeout 9\nserver 5 weight 1\n");
        // A refused line is named by file and number only: the reply never quotes the file.
        assertThat(send("include " + conf)).isEqualTo("include " + conf + ": " + conf
                + ":2: refused, nothing applied (the reason is in jpen's log)\n");
        assertThat(engine.settings().timeoutSeconds()).isEqualTo(7);
    }

    @Test
    void aCommandWithoutNewlineEndedByEofIsRun() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("timeout".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("3\n");
        }
    }

    @Test
    void exitRunsTheExitActionWhenEnabled() {
        java.util.concurrent.CountDownLatch exited = new java.util.concurrent.CountDownLatch(1);
        Engines.penctl(engine).daemon().exitAction(exited::countDown);
        assertThat(send("exit")).isEmpty();
        await().atMost(5, TimeUnit.SECONDS).until(() -> exited.getCount() == 0);
    }

    @Test
    void controlAclDeniesClientsTheListDoesNotPermit() throws Exception {
        control.close();
        control = ControlServer.start(Engines.penctl(engine), new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0),
                (list, address) -> list != 4);
        port = control.port();
        assertThat(send("timeout")).isEqualTo("3\n");
        engine.execute(state -> {
            state.settings(state.settings().withControlAcl(4));
            return Reply.EMPTY;
        });
        assertThat(send("timeout 9")).isEqualTo("control access denied by control_acl 4\n");
        assertThat(engine.settings().timeoutSeconds()).isEqualTo(3);
    }

    private static String echo(Socket s, String text) throws Exception {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        out.write(bytes);
        out.flush();
        byte[] got = in.readNBytes(bytes.length);
        return new String(got, StandardCharsets.US_ASCII);
    }
}
