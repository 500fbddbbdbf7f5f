package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the log says about a server that stays down: one plain warning when it fails (no Java exception names),
 * nothing more while it is retried and fails again, and a line when it answers again. The event log keeps every
 * failure. Run in a child JVM, so the log is read as an operator reads it, whatever the logging backend.
 */
@Timeout(60)
class ServerFailureLogTest {
    @Test
    void aServerThatStaysDownIsWarnedAboutOnceInPlainWordsAndItsReturnIsLogged() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DownThenUp.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String port = out.lines().filter(l -> l.startsWith("dead port ")).findFirst().orElseThrow().substring(10);
        String failure = "server 0 (127.0.0.1:" + port + ") failed: connection refused; not tried again for 1 s";
        List<String> log = out.lines().filter(l -> !l.startsWith("event ")).toList();
        List<String> events = out.lines().filter(l -> l.startsWith("event ")).toList();
        assertThat(log.stream().filter(l -> l.contains("failed:"))).as(out).singleElement().asString().endsWith(failure);
        assertThat(log).as(out).anyMatch(l -> l.endsWith("server 0 (127.0.0.1:" + port + ") answers again"));
        assertThat(events).as(out).filteredOn(l -> l.startsWith("event server-failed ")).hasSizeGreaterThanOrEqualTo(3)
                .allMatch(l -> l.equals("event server-failed " + failure));
        assertThat(events).contains("event server-back server 0 (127.0.0.1:" + port + ") answers again");
        assertThat(out).doesNotContain("Exception").doesNotContain("finishConnect");
    }

    @Test
    void reasonsAreInTheOperatorsWords() {
        assertThat(EngineEvents.reason(new java.net.ConnectException("finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:5")))
                .isEqualTo("connection refused");
        assertThat(EngineEvents.reason(new java.net.ConnectException("Connection refused: /127.0.0.1:5"))).isEqualTo("connection refused");
        assertThat(EngineEvents.reason(new io.netty.channel.ConnectTimeoutException("connection timed out after 1000 ms: /[::1]:5")))
                .isEqualTo("connection timed out after 1000 ms");
        assertThat(EngineEvents.reason(new java.net.PortUnreachableException())).isEqualTo("port unreachable");
        assertThat(EngineEvents.reason(new java.io.IOException())).isEqualTo("no reason given");
    }

    /** The child: server 0 refuses through three blacklist rounds of a second, then listens. */
    static final class DownThenUp {
        public static void main(String[] args) throws Exception {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
            Socket bound = new Socket();
            bound.setReuseAddress(true);
            bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // bound, not listening: refuses
            int deadPort = bound.getLocalPort();
            System.out.println("dead port " + deadPort);
            try (Backend live = Backend.named("live");
                 Engine e = Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                         List.of(ServerSpec.of("127.0.0.1", deadPort), ServerSpec.of("127.0.0.1", live.port())),
                         Settings.defaults().withRoundrobin(true).withBlacklistSeconds(1)))) {
                while (e.servers().get(0).failures() < 3 && System.nanoTime() < until) {
                    fetch(e.port());
                    Thread.sleep(50);
                }
                bound.close();
                try (Backend back = new Backend("back", Backend.Mode.NAME,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), deadPort))) {
                    while (back.accepted() == 0 && System.nanoTime() < until) {
                        fetch(e.port());
                        Thread.sleep(50);
                    }
                }
                for (EngineEvents.Event ev : e.events().recent()) {
                    if (ev.kind().startsWith("server")) System.out.println("event " + ev.kind() + " " + ev.message());
                }
                System.exit(System.nanoTime() < until ? 0 : 1);
            }
        }
    }
}
