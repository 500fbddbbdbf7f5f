package io.jpen.gui.fx;

import io.jpen.core.console.Console;
import io.jpen.core.model.Snapshot;
import javafx.application.Platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The one place where work hops from background threads onto the FX thread. Snapshots are coalesced: if the FX
 * thread falls behind, it skips to the newest snapshot instead of queueing stale ones, so a slow frame never
 * snowballs. Nothing here blocks the FX thread on the network: callers get results as callbacks.
 */
public final class FxThread {
    private final Executor fx;
    private final TickStats stats = new TickStats();

    /** On the real FX thread. */
    public FxThread() {
        this(Platform::runLater);
    }

    /** With another executor standing in for the FX thread (for tests of the coalescing itself). */
    public FxThread(Executor fx) {
        this.fx = fx;
    }

    /** Time spent on the FX thread per delivered snapshot. */
    public TickStats stats() {
        return stats;
    }

    /** Delivers each new snapshot (or, when behind, only the newest) to {@code onFx} on the FX thread. */
    public Console.Subscription follow(Console console, Consumer<Snapshot> onFx) {
        AtomicReference<Snapshot> pending = new AtomicReference<>();
        return console.subscribe(snapshot -> {
            // schedule only when the slot was empty: a scheduled hop will pick up whatever is newest when it runs
            if (pending.getAndSet(snapshot) == null) {
                fx.execute(() -> {
                    Snapshot newest = pending.getAndSet(null);
                    if (newest == null) return;
                    long start = System.nanoTime();
                    long cpuStart = TickStats.cpuNow();
                    try {
                        onFx.accept(newest);
                    } finally {
                        stats.record(System.nanoTime() - start, TickStats.cpuNow() - cpuStart, newest.connections().size());
                    }
                });
            } else {
                stats.skipped();
            }
        });
    }

    /** Runs {@code onFx} on the FX thread when {@code future} completes (with its value or its failure). */
    public <T> void when(CompletableFuture<T> future, BiConsumer<T, Throwable> onFx) {
        future.whenComplete((value, failure) -> fx.execute(() -> onFx.accept(value, failure)));
    }

    /** Runs a task on the FX thread. */
    public void run(Runnable onFx) {
        fx.execute(onFx);
    }
}
