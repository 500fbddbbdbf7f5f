package io.jpen.core.engine;

import io.netty.channel.EventLoop;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event loop kept busy by a task until released: what clients do meanwhile (connect, send) waits in the kernel,
 * and the loop finds all of it together in its next pass. Released at the latest after 10 s.
 */
final class HeldLoop {
    private final CountDownLatch release = new CountDownLatch(1);

    private HeldLoop() {
    }

    /** Returns once {@code loop} is running the holding task. */
    static HeldLoop hold(EventLoop loop) throws InterruptedException {
        HeldLoop held = new HeldLoop();
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            try {
                held.release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).as("the loop took the holding task").isTrue();
        return held;
    }

    void release() {
        release.countDown();
    }
}
