package io.jpen.core.engine;

import io.jpen.core.model.Reply;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a command hands to after the command lock (writing a file) holds up only that command. */
@Timeout(30)
class CommandLockTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private Engine engine() {
        return resources.keep(Engines.start(EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", 9)), Settings.defaults())));
    }

    @Test
    void otherCommandsRunWhileOneCommandsWorkAfterTheLockWaits() throws Exception {
        Engine engine = engine();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Reply> slow = CompletableFuture.supplyAsync(() -> engine.execute(state -> {
            state.afterLock(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return Reply.ok("slow\n");
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        // Runs to the end while the slow command's file work still waits: it is not under the lock.
        CompletableFuture<Reply> quick = CompletableFuture.supplyAsync(() -> engine.execute(state -> Reply.ok("quick\n")));
        try {
            assertThat(quick.get(10, TimeUnit.SECONDS).text()).isEqualTo("quick\n");
        } finally {
            release.countDown();
        }
        assertThat(slow.get(10, TimeUnit.SECONDS).text()).isEqualTo("slow\n");
    }

    @Test
    void workAfterTheLockThatFailsIsTheCommandsErrorAndARefusedCommandLeavesNone() {
        Engine engine = engine();
        Reply failed = engine.execute(state -> {
            state.afterLock(() -> {
                throw new IllegalArgumentException("write: cannot write /x: denied");
            });
            return Reply.EMPTY;
        });
        assertThat(failed.ok()).isFalse();
        assertThat(failed.text()).contains("cannot write /x");

        boolean[] ran = {false};
        Reply refused = engine.execute(state -> {
            state.afterLock(() -> ran[0] = true);
            throw new IllegalArgumentException("no");
        });
        assertThat(refused.ok()).isFalse();
        engine.execute(state -> Reply.EMPTY);
        assertThat(ran[0]).isFalse();
    }
}
