package io.jpen.core.engine;

import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pending_max's queue of clients waiting for a connect slot. The end-to-end cases are in RuntimeSettingsTest and
 * ConnectionChurnTest; these drive the queue directly, because which clients end up in it (rather than in the
 * kernel's backlog while the listener pauses) depends on timing no test over sockets can fix.
 */
@Timeout(30)
class PendingSlotTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private Engine engineWithOneConnectSlot() throws java.io.IOException {
        Backend backend = resources.keep(Backend.named("a"));
        return resources.keep(Engines.start(s -> s.withPendingMax(1), backend));
    }

    private EventLoop loop() {
        DefaultEventLoop loop = new DefaultEventLoop();
        resources.keep(() -> loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly());
        return loop;
    }

    @Test
    void aWaiterWhoseClientLeftPassesTheFreedSlotOnToTheWaitersBehindIt() throws Exception {
        Engine e = engineWithOneConnectSlot();
        EventLoop loop = loop();

        assertThat(e.pendingStarted()).isTrue();
        // Like Relay.tryTarget for a client that closed while it waited: it returns without taking the slot.
        AtomicInteger gone = new AtomicInteger();
        e.awaitPendingSlot(loop, gone::incrementAndGet);
        CountDownLatch second = waiterThatConnects(e, loop);
        CountDownLatch third = waiterThatConnects(e, loop);

        e.pendingEnded();
        assertThat(second.await(10, TimeUnit.SECONDS)).as("the second waiter gets the freed slot").isTrue();
        assertThat(gone.get()).isEqualTo(1);
        assertThat(e.pendingConnects()).isEqualTo(1);
        assertThat(third.getCount()).as("the third still waits: one slot, and it is taken").isEqualTo(1);

        e.pendingEnded();
        assertThat(third.await(10, TimeUnit.SECONDS)).as("the third waiter gets the next slot").isTrue();
        e.pendingEnded();
        assertThat(e.pendingConnects()).isZero();
    }

    @Test
    void aWaiterQueuedAfterTheSlotFreedIsWokenAtOnce() throws Exception {
        Engine e = engineWithOneConnectSlot();
        EventLoop loop = loop();

        assertThat(e.pendingStarted()).isTrue();
        assertThat(e.pendingStarted()).as("the limit holds").isFalse();
        e.pendingEnded(); // frees the slot between a refusal and the queueing that follows it
        CountDownLatch waiter = waiterThatConnects(e, loop);
        assertThat(waiter.await(10, TimeUnit.SECONDS)).isTrue();
        e.pendingEnded();
    }

    /** A waiter that, when woken, takes a slot as Relay.tryTarget does, and queues again if it finds none. */
    private static CountDownLatch waiterThatConnects(Engine e, EventLoop loop) {
        CountDownLatch connected = new CountDownLatch(1);
        Runnable[] retry = new Runnable[1];
        retry[0] = () -> {
            if (e.pendingStarted()) connected.countDown(); else e.awaitPendingSlot(loop, retry[0]);
        };
        e.awaitPendingSlot(loop, retry[0]);
        return connected;
    }
}
