package io.jpen.core.engine;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * pending_max: at most that many connects to servers in progress at once. At the limit the listener stops
 * accepting, so further clients wait in the kernel's backlog (as with Pen) rather than in jpen; the few accepted
 * anyway (Netty finishes a read already asked for) wait here for a slot.
 */
final class PendingLimit {
    private final IntSupplier max;
    private final Supplier<Channel> listener;
    private final AtomicInteger pending = new AtomicInteger();
    /** Guards pausing and resuming the listener; rare, so a flag read on every end is fine. */
    private volatile boolean acceptPaused;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    /** @param max pending_max as it is now; @param listener the listening socket (null before start) */
    PendingLimit(IntSupplier max, Supplier<Channel> listener) {
        this.max = max;
        this.listener = listener;
    }

    /** Takes a slot for one connect in progress, or returns false at the limit. */
    boolean started() {
        int limit = max.getAsInt();
        while (true) {
            int n = pending.get();
            if (n >= limit) {
                adjustAccept();
                return false;
            }
            if (pending.compareAndSet(n, n + 1)) {
                if (n + 1 >= limit) adjustAccept();
                return true;
            }
        }
    }

    /** A connect ended (connected or failed): its slot goes to a waiter, and the listener may accept again. */
    void ended() {
        int n = pending.decrementAndGet();
        wake(1);
        if (n < max.getAsInt() && acceptPaused) adjustAccept();
    }

    /** Runs {@code retry} on {@code loop} once a connect slot may be free (it calls {@link #started} again). */
    void await(EventLoop loop, Runnable retry) {
        waiters.add(new Waiter(loop, retry));
        // A slot may have freed between the refusal and queueing; without this the waiter could sleep forever.
        if (pending.get() < max.getAsInt()) wake(1);
    }

    /** pending_max changed from {@code before} to {@code after}: the listener and the waiters follow at once. */
    void limitChanged(int before, int after) {
        if (before == after) return;
        adjustAccept();
        wake(Math.max(0, after - pending.get()));
    }

    /** Connects in progress now. */
    int count() {
        return pending.get();
    }

    /** Accepted clients waiting for a slot. */
    int waiting() {
        return waiters.size();
    }

    private void wake(int n) {
        for (int i = 0; i < n; i++) {
            Waiter w = waiters.poll();
            if (w == null) return;
            try {
                // A waiter whose client has gone meanwhile takes no slot: the wake-up passes on to the next one, or
                // the others would sleep until some later connect ends (for good, if none comes).
                w.loop().execute(() -> {
                    w.retry().run();
                    if (pending.get() < max.getAsInt()) wake(1);
                });
            } catch (RejectedExecutionException stopping) {
                // the engine is closing; the client's channel goes with it
            }
        }
    }

    private record Waiter(EventLoop loop, Runnable retry) {}

    /**
     * Sets the listener's accepting to match the pending count now, on the listener's own event loop: from
     * another thread, setAutoRead(false) removes the accept interest in a task of its own, which can land after
     * a later setAutoRead(true) and leave the listener deaf with autoRead on. acceptPaused is raised before the
     * count is read, so an {@link #ended} that lowers the count after the read sees it and comes back here.
     */
    void adjustAccept() {
        Channel l = listener.get();
        if (l == null) return;
        if (!l.eventLoop().inEventLoop()) {
            try {
                l.eventLoop().execute(this::adjustAccept);
            } catch (RejectedExecutionException stopping) {
                // the engine is closing
            }
            return;
        }
        acceptPaused = true;
        boolean accept = pending.get() < max.getAsInt();
        acceptPaused = !accept;
        if (l.config().isAutoRead() != accept) l.config().setAutoRead(accept);
    }
}
