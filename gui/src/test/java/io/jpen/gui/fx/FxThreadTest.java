package io.jpen.gui.fx;

import io.jpen.core.console.Console;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import io.jpen.gui.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class FxThreadTest {

    /** A console whose snapshots the test publishes by hand. */
    static final class ManualConsole implements Console {
        Consumer<Snapshot> listener;

        @Override public Subscription subscribe(Consumer<Snapshot> l) { listener = l; return () -> listener = null; }
        @Override public Snapshot latest() { return null; }
        @Override public CompletableFuture<Reply> execute(String line) { return CompletableFuture.completedFuture(Reply.EMPTY); }
        @Override public String target() { return "manual"; }
        @Override public boolean connected() { return true; }
        @Override public void close() { }
    }

    private static Snapshot at(long millis) {
        return Snapshots.of(millis, Settings.defaults(), List.of(), List.of(), List.of(), 0);
    }

    @Test
    void aBusyFxThreadSkipsToTheNewestSnapshotInsteadOfQueueingStaleOnes() {
        ArrayDeque<Runnable> fxQueue = new ArrayDeque<>();
        FxThread fx = new FxThread(fxQueue::add);
        ManualConsole console = new ManualConsole();
        List<Long> seen = new ArrayList<>();
        fx.follow(console, s -> seen.add(s.takenMillis()));

        console.listener.accept(at(1));
        console.listener.accept(at(2));
        console.listener.accept(at(3));
        assertThat(fxQueue).hasSize(1); // one hop scheduled, however many snapshots arrived meanwhile
        fxQueue.poll().run();
        assertThat(seen).containsExactly(3L);

        console.listener.accept(at(4));
        assertThat(fxQueue).hasSize(1);
        fxQueue.poll().run();
        assertThat(seen).containsExactly(3L, 4L);
        assertThat(fx.stats().ticks()).isEqualTo(2);
        assertThat(fx.stats().skippedCount()).isEqualTo(2);
    }
}
