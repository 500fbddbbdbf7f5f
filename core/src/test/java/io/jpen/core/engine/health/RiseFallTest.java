package io.jpen.core.engine.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdict from a run of results, without sockets or time. */
class RiseFallTest {
    @Test
    void aFreshCheckIsDecidedByItsFirstResult() {
        RiseFall up = new RiseFall(false);
        assertThat(up.result(false, 2, 3)).isTrue();
        assertThat(up.failed()).isTrue();
        RiseFall down = new RiseFall(true);
        assertThat(down.result(true, 2, 3)).isTrue();
        assertThat(down.failed()).isFalse();
        RiseFall same = new RiseFall(false);
        assertThat(same.result(true, 2, 3)).isFalse();
    }

    @Test
    void fallFailuresInARowTakeItDownAndRisePassesInARowBringItBack() {
        RiseFall r = new RiseFall(false);
        r.result(true, 2, 3); // decided: up
        assertThat(r.result(false, 2, 3)).isFalse();
        assertThat(r.result(false, 2, 3)).isFalse();
        assertThat(r.result(false, 2, 3)).isTrue();
        assertThat(r.failed()).isTrue();
        assertThat(r.result(true, 2, 3)).isFalse();
        assertThat(r.result(true, 2, 3)).isTrue();
        assertThat(r.failed()).isFalse();
    }

    @Test
    void aResultThatAgreesWithTheVerdictStartsTheCountAgain() {
        RiseFall r = new RiseFall(false);
        r.result(true, 2, 3);
        r.result(false, 2, 3);
        r.result(false, 2, 3);
        r.result(true, 2, 3); // a pass between failures: the streak is gone
        assertThat(r.streak()).isZero();
        assertThat(r.result(false, 2, 3)).isFalse();
        assertThat(r.result(false, 2, 3)).isFalse();
        assertThat(r.failed()).isFalse();
        assertThat(r.result(false, 2, 3)).isTrue();
    }
}
