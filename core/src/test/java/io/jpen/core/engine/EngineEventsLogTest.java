package io.jpen.core.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A reader of the event log (the console's sampler) gets the events and their count as of one moment. */
@Timeout(60)
class EngineEventsLogTest {

    @Test
    void theLastEventOfACopyIsTheOneItsCountNamesWhileEventsArrive() throws Exception {
        EngineEvents events = new EngineEvents(InstantSource.system());
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (long n = 1; !stop.get(); n++) events.add("test", "event " + n);
        });
        writer.start();
        try {
            int checked = 0;
            while (checked < 20_000) {
                EngineEvents.Log log = events.log();
                List<EngineEvents.Event> recent = log.recent();
                if (recent.isEmpty()) continue;
                // the console counts what is new by the sequence: an event counted but missing would never be shown
                assertThat(recent.get(recent.size() - 1).message()).isEqualTo("event " + log.sequence());
                checked++;
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
    }
}
