package io.jpen.core.control;

import io.jpen.core.testing.Engines;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.engine.NameLookup;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server N address NAME} asks the name service before it takes the command lock, with a time limit: while a
 * slow DNS server keeps one client waiting, every other command (control port, HUP, API) goes on.
 */
@Timeout(60)
class SlowNameLookupTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private Engine engine(NameLookup names, Backend b) {
        Engine e = resources.keep(new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", b.port())), Settings.defaults()), names));
        e.start();
        return e;
    }

    @Test
    void otherCommandsAnswerWhileANameLookupWaits() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        NameLookup slowDns = new NameLookup(host -> {
            asked.countDown();
            answer.await();
            return InetAddress.getLoopbackAddress();
        }, Duration.ofSeconds(50));
        Backend b = resources.keep(Backend.echo("b"));
        Engine e = engine(slowDns, b);
        int port = resources.keep(ControlServer.start(Engines.penctl(e), new Endpoint.Tcp("127.0.0.1", 0), null)).port();

        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> ControlClient.send(port, "server 0 address backend.example"));
        assertThat(asked.await(20, TimeUnit.SECONDS)).isTrue();
        // The lookup is under way: other clients, and a reload's commands, are not held up by it.
        assertThat(ControlClient.send(port, "servers")).startsWith("0 addr 127.0.0.1 port " + b.port());
        assertThat(ControlClient.send(port, "timeout 5")).isEqualTo("5\n");
        assertThat(Engines.penctl(e).execute("blacklist 7").ok()).isTrue();
        assertThat(waiting).isNotDone();

        answer.countDown();
        assertThat(waiting.get(20, TimeUnit.SECONDS)).isEmpty();
        assertThat(ControlClient.send(port, "servers")).startsWith("0 addr backend.example port " + b.port());
    }

    @Test
    void listenAndPenlogdsAddressAreLookedUpBeforeTheLockToo() throws Exception {
        CountDownLatch asked = new CountDownLatch(2);
        CountDownLatch answer = new CountDownLatch(1);
        NameLookup slowDns = new NameLookup(host -> {
            asked.countDown();
            answer.await();
            return InetAddress.getByName(host);
        }, Duration.ofSeconds(50));
        Backend b = resources.keep(Backend.echo("b"));
        Engine e = engine(slowDns, b);
        int port = resources.keep(ControlServer.start(Engines.penctl(e), new Endpoint.Tcp("127.0.0.1", 0), null)).port();
        CompletableFuture<String> listen = CompletableFuture.supplyAsync(() -> ControlClient.send(port, "listen localhost:0"));
        CompletableFuture<String> log = CompletableFuture.supplyAsync(() -> ControlClient.send(port, "log localhost:9"));
        assertThat(asked.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(ControlClient.send(port, "timeout 5")).isEqualTo("5\n");
        assertThat(listen).isNotDone();
        answer.countDown();
        assertThat(listen.get(20, TimeUnit.SECONDS)).startsWith("127.0.0.1:");
        assertThat(log.get(20, TimeUnit.SECONDS)).isEqualTo("localhost:9\n");
    }

    @Test
    void aLookupThatDoesNotAnswerInTimeIsRefusedAndChangesNothing() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Backend b = resources.keep(Backend.echo("b"));
        Engine e = engine(new NameLookup(host -> {
            never.await();
            return null;
        }, Duration.ofMillis(300)), b);
        int port = resources.keep(ControlServer.start(Engines.penctl(e), new Endpoint.Tcp("127.0.0.1", 0), null)).port();
        assertThat(ControlClient.send(port, "server 0 address silent.example weight 3"))
                .isEqualTo("no answer for 'silent.example' from the name service within 300 ms\n");
        assertThat(e.servers().get(0).spec()).isEqualTo(ServerSpec.of("127.0.0.1", b.port()));
        never.countDown();
    }
}
