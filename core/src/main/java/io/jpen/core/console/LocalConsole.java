package io.jpen.core.console;

import io.jpen.core.control.CommandParser;
import io.jpen.core.control.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Snapshot;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A console on an engine in this process: snapshots from a {@link Sampler} at a steady tick. */
public final class LocalConsole implements Console {
    public static final Duration DEFAULT_TICK = Duration.ofMillis(250);

    private final Engine engine;
    private final Sampler sampler;
    private final ScheduledExecutorService ticker;
    private final ExecutorService commands;
    private final CopyOnWriteArrayList<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot latest;

    public LocalConsole(Engine engine) {
        this(engine, DEFAULT_TICK, 1000);
    }

    public LocalConsole(Engine engine, Duration tick, int maxConnections) {
        this.engine = engine;
        this.sampler = new Sampler(engine, maxConnections, 200);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "jpen-sampler"));
        this.commands = Executors.newSingleThreadExecutor(r -> daemon(r, "jpen-console-commands"));
        ticker.scheduleAtFixedRate(this::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void tick() {
        try {
            Snapshot s = sampler.sample();
            latest = s;
            for (Consumer<Snapshot> l : listeners) {
                try {
                    l.accept(s);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(LocalConsole.class).warn("snapshot listener failed", e);
                }
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LocalConsole.class).warn("sampling failed", e);
        }
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public Subscription subscribe(Consumer<Snapshot> listener) {
        listeners.add(listener);
        Snapshot s = latest;
        if (s != null) ticker.execute(() -> listener.accept(s));
        return () -> listeners.remove(listener);
    }

    @Override
    public Snapshot latest() {
        return latest;
    }

    @Override
    public CompletableFuture<Reply> execute(String commandLine) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return engine.execute(CommandParser.parse(commandLine));
            } catch (IllegalArgumentException e) {
                return Reply.error(e.getMessage());
            }
        }, commands);
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
