package io.jpen.core.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Byte totals the connections leave behind: what ended connections moved (live ones are summed from their own
 * counters by the sampler), and how much of all traffic splice(2) moved rather than the JVM copied. Written by the
 * event loops, read by observers; adders, so the loops never contend.
 */
final class Traffic {
    private final LongAdder closedUp = new LongAdder();
    private final LongAdder closedDown = new LongAdder();
    private final LongAdder splicedUp = new LongAdder();
    private final LongAdder splicedDown = new LongAdder();

    void closed(Connection c) {
        closedUp.add(c.bytesUp());
        closedDown.add(c.bytesDown());
    }

    void spliced(boolean fromClient, long bytes) {
        (fromClient ? splicedUp : splicedDown).add(bytes);
    }

    long closedUp() { return closedUp.sum(); }
    long closedDown() { return closedDown.sum(); }
    long splicedUp() { return splicedUp.sum(); }
    long splicedDown() { return splicedDown.sum(); }
}
