package io.jpen.core.engine;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Netty's epoll handler with a fault worked around and its interest changes coalesced.
 *
 * <p>The fault: Netty 4.2.18 (to 4.2.20) removes a socket from the epoll set ({@code EPOLL_CTL_DEL}) when the
 * channel asks for no events, yet remembers it as added; the channel's next request ({@code EPOLL_CTL_MOD}, e.g.
 * "tell me when I can write") then fails with ENOENT and the channel is closed with data still queued. A half-closed
 * client that is sent a large answer hits exactly that: once its input has ended and the answer fills its socket
 * buffer. Asking for {@code EPOLLERR} instead of nothing keeps the socket in the set; the kernel reports errors and
 * hang-ups whether asked or not, so the events delivered are the same as for an empty set.
 *
 * <p>Coalescing: Netty calls {@code epoll_ctl} for every change of a channel's interest, and a proxied pair changes
 * it several times between two waits (a connect that completes clears {@code EPOLLOUT}, asks for the same set again,
 * then reading starts; an end of stream clears {@code EPOLLRDHUP}, then {@code EPOLLIN}). What counts is only the
 * set the kernel holds when the loop next waits. Changes made on the loop are therefore recorded and applied once,
 * just before {@code epoll_wait}, and only when the set differs from what the kernel already has: four
 * {@code epoll_ctl} per connection fewer (docs/performance.md). Nothing waits on the kernel in between, so no event
 * can be missed or spuriously delivered. A change asked for from another thread is handed to the loop.
 *
 * <p>It also tells the loop's {@link PassClock} when a pass begins.
 */
final class EpollSetKeeper implements IoHandler {
    private static final Logger log = LoggerFactory.getLogger(EpollSetKeeper.class);

    private final IoHandler epoll;
    private final ThreadAwareExecutor executor;
    private final InstantSource clock;
    private PassClock passClock;
    /** epoll_ctl calls made for the registrations (ADD, MOD and DEL), counted for tests and measurements. */
    private final LongAdder ctlCalls;
    /** Registrations whose wanted set changed since the last wait; only the loop's thread touches it. */
    private List<Kept> changed = new ArrayList<>();
    private List<Kept> spare = new ArrayList<>();

    private EpollSetKeeper(IoHandler epoll, ThreadAwareExecutor executor, InstantSource clock, LongAdder ctlCalls) {
        this.epoll = epoll;
        this.executor = executor;
        this.clock = clock;
        this.ctlCalls = ctlCalls;
    }

    /** {@code clock}: the engine's, which each loop's {@link PassClock} reads. */
    static Factory newFactory(InstantSource clock) {
        return new Factory(clock);
    }

    /** Makes one handler per event loop; counts the epoll_ctl calls of all of them. */
    static final class Factory implements IoHandlerFactory {
        private final IoHandlerFactory epoll = EpollIoHandler.newFactory();
        private final LongAdder ctlCalls = new LongAdder();
        private final InstantSource clock;

        private Factory(InstantSource clock) {
            this.clock = clock;
        }

        @Override
        public IoHandler newHandler(ThreadAwareExecutor executor) {
            return new EpollSetKeeper(epoll.newHandler(executor), executor, clock, ctlCalls);
        }

        /** No, as {@link PinnedLoops}: a loop that may suspend has its handler read the clock twice per pass. */
        @Override
        public boolean isChangingThreadSupported() {
            return false;
        }

        /** epoll_ctl calls for sockets so far, by every loop of this factory. */
        long ctlCalls() {
            return ctlCalls.sum();
        }
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return new Kept(epoll.register(handle), handle);
    }

    @Override
    public void initialize() {
        passClock = PassClock.ofThisLoop(clock); // on the loop's thread, before its first pass
        epoll.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        if (passClock != null) passClock.newPass();
        applyChanges();
        return epoll.run(context);
    }

    /** Hands the kernel the sets changed since the last wait, one {@code epoll_ctl} per socket at most. */
    private void applyChanges() {
        if (changed.isEmpty()) return;
        List<Kept> batch = changed;
        changed = spare;
        for (int i = 0, n = batch.size(); i < n; i++) batch.get(i).apply();
        batch.clear();
        spare = batch;
    }

    @Override
    public void prepareToDestroy() {
        applyChanges();
        epoll.prepareToDestroy();
    }

    @Override
    public void destroy() {
        epoll.destroy();
    }

    @Override
    public void wakeup() {
        epoll.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return epoll.isCompatible(handleType);
    }

    /** One socket's registration: the set it wants, and the set the kernel has. */
    private final class Kept implements IoRegistration {
        private final IoRegistration registration;
        private final IoHandle handle;
        /** What the channel asked for last ("nothing" already turned into "errors only"); null: nothing asked yet. */
        private EpollIoOps wanted;
        /**
         * What the kernel has; null before the socket was added. While it differs from {@link #wanted} this
         * registration is in the list of changes (no flag of its own: 32 bytes per socket instead of 40).
         */
        private EpollIoOps applied;

        Kept(IoRegistration registration, IoHandle handle) {
            this.registration = registration;
            this.handle = handle;
        }

        @Override
        public <T> T attachment() {
            return registration.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            EpollIoOps next = EpollIoOps.NONE.equals(ops) ? EpollIoOps.EPOLLERR : (EpollIoOps) ops;
            if (!executor.isExecutorThread(Thread.currentThread())) {
                executor.execute(() -> submit(next));
                return next.value();
            }
            if (!registration.isValid()) return -1;
            boolean queued = pending();
            wanted = next;
            if (!queued && pending()) changed.add(this);
            return next.value();
        }

        private boolean pending() {
            EpollIoOps w = wanted;
            return w != null && !w.equals(applied);
        }

        void apply() {
            EpollIoOps w = wanted;
            if (w == null || w.equals(applied)) return;
            applied = w; // out of the list from here on, whatever happens below
            if (!registration.isValid()) return;
            try {
                ctlCalls.increment();
                registration.submit(w);
            } catch (RuntimeException e) {
                // What the channel would have been told at once: its socket cannot be watched any more.
                log.debug("epoll_ctl failed for a channel, closing it", e);
                try {
                    handle.close();
                } catch (Exception ignored) {
                    // closing is best effort; the channel reports its own failure
                }
            }
        }

        @Override
        public boolean isValid() {
            return registration.isValid();
        }

        @Override
        public boolean cancel() {
            // Netty's EPOLL_CTL_DEL, which it skips for a socket already closed (the kernel has dropped it then)
            if (applied != null && registration.isValid()
                    && !(handle instanceof io.netty.channel.epoll.EpollIoHandle h && !h.fd().isOpen())) {
                ctlCalls.increment();
            }
            return registration.cancel();
        }
    }
}
