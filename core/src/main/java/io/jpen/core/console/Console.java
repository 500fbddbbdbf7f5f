package io.jpen.core.console;

import io.jpen.core.model.Reply;
import io.jpen.core.model.Snapshot;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A balancer as the console sees it, whether it runs in this process ({@link LocalConsole}) or elsewhere
 * (RemoteConsole, over the API). Observations come as Snapshots at a steady tick; changes go in as penctl
 * command lines and come back as Replies.
 */
public interface Console extends AutoCloseable {

    /** Calls {@code listener} with every new snapshot (on a background thread); returns a handle to stop. */
    Subscription subscribe(Consumer<Snapshot> listener);

    /** The latest snapshot, or null before the first tick. */
    Snapshot latest();

    /** Runs one command in penctl's language ("server 0 blacklist 30", "dummy", "close 12"). Never blocks the caller. */
    CompletableFuture<Reply> execute(String commandLine);

    /** Human description of what this console is attached to ("in-process 127.0.0.1:8080", "http://host:9090"). */
    String target();

    /** True while the balancer can be reached (always true in-process). */
    boolean connected();

    /** Why the balancer cannot be reached now (or why it was last lost), in an operator's words; null when nothing is wrong. */
    default String lastError() {
        return null;
    }

    @Override
    void close();

    /** Stops a subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
