package io.jpen.core.console;

import io.jpen.core.model.Reasons;
import io.jpen.core.model.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The latest snapshot and the listeners that get each new one, in order, on one delivery thread; a listener that
 * throws is logged and the others still get the snapshot. Shared by every Console: the local one here, the
 * remote one with the API's client (also over SSH).
 */
public final class SnapshotFanOut {
    private static final Logger log = LoggerFactory.getLogger(SnapshotFanOut.class);

    private final Executor delivery;
    private final CopyOnWriteArrayList<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot latest;

    /** @param delivery a single-threaded executor, so listeners see snapshots in the order they were published */
    public SnapshotFanOut(Executor delivery) {
        this.delivery = delivery;
    }

    /** Daemon threads with a name, for the consoles' executors. */
    public static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public void publish(Snapshot s) {
        latest = s;
        delivery.execute(() -> {
            for (Consumer<Snapshot> l : listeners) deliver(l, s);
        });
    }

    public Console.Subscription subscribe(Consumer<Snapshot> listener) {
        listeners.add(listener);
        Snapshot s = latest;
        if (s != null) delivery.execute(() -> deliver(listener, s));
        return () -> listeners.remove(listener);
    }

    public Snapshot latest() {
        return latest;
    }

    private static void deliver(Consumer<Snapshot> listener, Snapshot s) {
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            log.warn("snapshot listener failed: {}", Reasons.words(e));
            log.debug("snapshot listener failed", e);
        }
    }
}
