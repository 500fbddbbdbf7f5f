package io.jpen.core.reliability;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests move by hand, so blacklist and tracking times pass without sleeping. */
final class MutableClock implements InstantSource {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }
}
