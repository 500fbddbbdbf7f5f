package io.jpen.core.console;

import io.jpen.core.engine.Engine;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SnapshotFanOutTest {
    @Test
    void aListenerThatFailsIsLoggedInWordsAndTheOthersStillGetTheSnapshot() throws Exception {
        try (Engine e = Engines.start(s -> s);
             LogCapture log = new LogCapture(SnapshotFanOut.class.getName())) {
            SnapshotFanOut fanOut = new SnapshotFanOut(Runnable::run);
            List<Snapshot> got = new ArrayList<>();
            fanOut.subscribe(s -> {
                throw new IllegalStateException("the chart has no series");
            });
            fanOut.subscribe(got::add);
            Snapshot s = new Sampler(e, 10, 10).sample();
            fanOut.publish(s);
            assertThat(got).containsExactly(s);
            assertThat(log.lines()).containsExactly("WARN snapshot listener failed: the chart has no series");
        }
    }
}
