package io.jpen.headless;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process's signals, taken over as the first thing {@code jpen} does: until then the JVM ends the process on
 * HUP (exit 129), and {@code systemctl reload} or logrotate can race a start. HUP does nothing until the daemon
 * says what a reload is (a HUP during start-up is moot: the configuration is being read anyway). TERM and INT ask
 * for a stop: the first a graceful one, the next (or {@link #stopNow()}) an immediate one.
 */
final class Signals {
    private volatile Runnable reload = () -> { };
    private boolean hupIgnored; // set by install() before anyone reads it, on the same thread
    private final AtomicInteger stops = new AtomicInteger();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopNow = new CountDownLatch(1);

    /** Signals that only {@link #stop()} and {@link #stopNow()} raise (an in-process run, as in tests). */
    Signals() {}

    /** Installs the process's handlers; call once, first thing. */
    static Signals install() {
        Signals signals = new Signals();
        // A process started with HUP ignored (nohup does that) keeps it ignored: the JVM takes over no signal that
        // was ignored when it started, and answers with the old disposition instead of installing the handler.
        signals.hupIgnored = Signal.handle(new Signal("HUP"), s -> signals.reload.run()) == SignalHandler.SIG_IGN;
        Signal.handle(new Signal("TERM"), s -> signals.stop());
        Signal.handle(new Signal("INT"), s -> signals.stop());
        return signals;
    }

    /** Whether HUP was ignored when the process started, so that a HUP does nothing (under nohup). */
    boolean hupIgnored() {
        return hupIgnored;
    }

    /** What HUP does from now on. */
    void onReload(Runnable action) {
        reload = action;
    }

    /** A TERM or INT: the first asks for a graceful stop, the second for an immediate one. */
    void stop() {
        if (stops.incrementAndGet() > 1) stopNow.countDown();
        stopRequested.countDown();
    }

    /** An immediate stop ({@code exit}, or a second TERM). */
    void stopNow() {
        stops.incrementAndGet();
        stopNow.countDown();
        stopRequested.countDown();
    }

    void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /** Waits up to {@code millis} for an immediate stop; true when one was asked for. */
    boolean awaitStopNow(long millis) throws InterruptedException {
        return stopNow.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean stopNowRequested() {
        return stopNow.getCount() == 0;
    }
}
