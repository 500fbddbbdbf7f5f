package io.jpen.core.testing;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand, so expiry can be tested without sleeping. */
public final class ManualClock implements InstantSource {
    private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    public void advanceSeconds(long s) {
        millis.addAndGet(s * 1000);
    }
}
