package io.jpen.core.console;

import java.util.ArrayDeque;

/**
 * Rates of a few growing counters over a sliding window (about a second) rather than over one tick, so bursty
 * traffic does not read as 0 on most ticks. One thread uses it (the sampler's).
 */
final class RateWindow {
    private record Sample(long millis, long[] values) {}

    private final long windowMillis;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    RateWindow(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Records the counters at {@code now} and returns their rates per second over the window (0 at first). */
    double[] add(long now, long... values) {
        samples.addLast(new Sample(now, values.clone()));
        // Keep one sample at or beyond the window's start, so the span covers the whole window.
        while (samples.size() > 2) {
            var it = samples.iterator();
            it.next();
            Sample second = it.next();
            if (now - second.millis() >= windowMillis) samples.removeFirst(); else break;
        }
        Sample first = samples.peekFirst();
        double seconds = (now - first.millis()) / 1000.0;
        double[] rates = new double[values.length];
        if (seconds <= 0) return rates;
        for (int i = 0; i < values.length; i++) rates[i] = Math.max(0, values[i] - first.values()[i]) / seconds;
        return rates;
    }
}
