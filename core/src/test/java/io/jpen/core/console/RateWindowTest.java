package io.jpen.core.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RateWindowTest {

    @Test
    void aBurstOnceASecondReadsAsItsAverageOnEveryTickNotAsZeroOnMostOfThem() {
        RateWindow w = new RateWindow(1000);
        long total = 0;
        assertThat(w.add(0, total)[0]).isZero();
        for (long t = 250; t <= 5000; t += 250) {
            if (t % 1000 == 0) total += 8000; // 8 KB once a second
            double rate = w.add(t, total)[0];
            if (t >= 1000) assertThat(rate).as("at %d ms", t).isCloseTo(8000, within(2700.0));
        }
    }

    @Test
    void ratesFollowEachCounterAndNeverGoNegative() {
        RateWindow w = new RateWindow(1000);
        w.add(0, 0, 100);
        double[] r = w.add(500, 500, 50);
        assertThat(r[0]).isCloseTo(1000, within(0.001));
        assertThat(r[1]).isZero();
    }
}
