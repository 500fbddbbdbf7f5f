package io.jpen.bench;

import io.jpen.core.control.Penctl;
import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiServer;
import io.jpen.core.api.ApiToken;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class RemoteWatcherTest {
    private static final String TOKEN = "bench-test-token-0123456789";

    @TempDir
    Path dir;
    private Engine engine;
    private LocalConsole console;
    private ApiServer api;

    @BeforeEach
    void startEngineWithApi() {
        engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), List.of(ServerSpec.of("127.0.0.1", 9)),
                Settings.defaults()));
        engine.start();
        console = new LocalConsole(new Penctl(engine), Duration.ofMillis(50), 1000);
        api = new ApiServer(console, ApiConfig.of(0, ApiToken.of(TOKEN))).start();
    }

    @AfterEach
    void stop() {
        api.close();
        console.close();
        engine.close();
    }

    @Test
    void watcherCountsTheStreamsSnapshotsUntilTheEngineIsGone() throws Exception {
        Path status = dir.resolve("status");
        AtomicBoolean alive = new AtomicBoolean(true);
        CompletableFuture<RemoteWatcher.Result> watching = CompletableFuture.supplyAsync(() -> watch(TOKEN, alive::get, status,
                Duration.ofSeconds(20)));
        while (count(status) < 5) Thread.sleep(20);
        alive.set(false);
        RemoteWatcher.Result r = watching.get(10, TimeUnit.SECONDS);

        assertThat(r.why()).isEqualTo("engine gone");
        assertThat(r.snapshots()).isGreaterThanOrEqualTo(5).isEqualTo(count(status));
        assertThat(r.seconds()).isPositive();
        assertThat(Files.readString(status).strip().split(" ")[2]).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }

    @Test
    void watcherWithTheWrongTokenLeavesWithoutASnapshotAndSaysWhy() {
        Path status = dir.resolve("status");
        RemoteWatcher.Result r = watch("not-the-token", () -> true, status, Duration.ofSeconds(1));

        assertThat(r.snapshots()).isZero();
        assertThat(r.why()).contains("no snapshot within 1 s").contains("401");
        assertThat(status).doesNotExist();
    }

    @Test
    void watcherLeavesWhenTheStreamStaysLostThoughTheEngineRuns() throws Exception {
        Path status = dir.resolve("status");
        CompletableFuture<RemoteWatcher.Result> watching = CompletableFuture.supplyAsync(() -> watch(TOKEN, () -> true, status,
                Duration.ofSeconds(20)));
        while (count(status) < 1) Thread.sleep(20);
        api.close();
        RemoteWatcher.Result r = watching.get(20, TimeUnit.SECONDS);

        assertThat(r.snapshots()).isPositive();
        assertThat(r.why()).startsWith("the stream has been lost for 1 s");
    }

    private RemoteWatcher.Result watch(String token, java.util.function.BooleanSupplier alive, Path status, Duration attach) {
        try {
            return RemoteWatcher.watch(api.uri(), token, alive, "engine gone", status, attach, Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Path status) throws java.io.IOException {
        return Files.exists(status) ? Long.parseLong(Files.readString(status).split(" ")[0]) : 0;
    }
}
