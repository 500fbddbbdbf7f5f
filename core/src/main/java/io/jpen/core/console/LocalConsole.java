package io.jpen.core.console;

import io.jpen.core.model.Reasons;
import io.jpen.core.control.Penctl;
import io.jpen.core.model.Origin;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Snapshot;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A console on an engine in this process: snapshots from a {@link Sampler} at a steady tick. */
public final class LocalConsole implements Console {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LocalConsole.class);

    public static final Duration DEFAULT_TICK = Duration.ofMillis(250);

    private final Engine engine;
    private final Penctl penctl;
    private final Sampler sampler;
    private final ScheduledExecutorService ticker;
    private final ExecutorService commands;
    private final SnapshotFanOut fanOut;

    /** A console on the engine behind {@code penctl}, whose lines go through that door as the operator's. */
    public LocalConsole(Penctl penctl) {
        this(penctl, DEFAULT_TICK, 1000);
    }

    public LocalConsole(Penctl penctl, Duration tick, int maxConnections) {
        this.penctl = penctl;
        this.engine = penctl.engine();
        this.sampler = new Sampler(engine, maxConnections, 200);
        this.ticker = Executors.newSingleThreadScheduledExecutor(SnapshotFanOut.daemonThreads("jpen-sampler"));
        this.commands = Executors.newSingleThreadExecutor(SnapshotFanOut.daemonThreads("jpen-console-commands"));
        this.fanOut = new SnapshotFanOut(ticker);
        ticker.scheduleAtFixedRate(this::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            fanOut.publish(sampler.sample());
        } catch (RuntimeException e) {
            // closed while this tick sampled: the delivery thread is gone, and so is everyone who listened
            if (e instanceof RejectedExecutionException && ticker.isShutdown()) return;
            log.warn("sampling failed: {}", Reasons.words(e));
            log.debug("sampling failed", e);
        }
    }

    public Engine engine() {
        return engine;
    }

    /** The door this console's lines go through (the API's lines go through its remote twin). */
    public Penctl penctl() {
        return penctl;
    }

    @Override
    public Subscription subscribe(Consumer<Snapshot> listener) {
        return fanOut.subscribe(listener);
    }

    @Override
    public Snapshot latest() {
        return fanOut.latest();
    }

    @Override
    public CompletableFuture<Reply> execute(String commandLine) {
        return CompletableFuture.supplyAsync(() -> penctl.execute(commandLine, Origin.CONSOLE), commands);
    }

    @Override
    public CompletableFuture<java.util.Optional<io.jpen.core.model.ConnectionDetail>> connection(int id) {
        return CompletableFuture.supplyAsync(() -> java.util.Optional.ofNullable(Sampler.detail(engine, id)), commands);
    }

    @Override
    public String target() {
        return "in-process " + engine.listenEndpoint();
    }

    @Override
    public boolean connected() {
        return engine.running();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        commands.shutdownNow();
    }
}
