package io.jpen.core.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {
    @Test
    void noPortIsHandedOutTwiceInOneJvm() throws IOException {
        // 2,000 draws from ~22,000 ports would repeat one about 90 times if each draw forgot the others
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            assertThat(seen.add(FreePorts.tcp())).as("tcp draw %d", i).isTrue();
            assertThat(seen.add(FreePorts.udp())).as("udp draw %d", i).isTrue();
        }
    }
}
