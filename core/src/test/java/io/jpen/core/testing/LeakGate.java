package io.jpen.core.testing;

import io.netty.util.ResourceLeakDetector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Netty's leak detector, as the tests run it (core/pom.xml: paranoid level, this class as
 * {@code io.netty.customResourceLeakDetector}): every leak it reports is also kept, so {@link LeakCheck} can fail the
 * test class during which it was found. Netty alone only logs a leak, and a log line fails no build.
 */
public final class LeakGate<T> extends ResourceLeakDetector<T> {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    public LeakGate(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    public LeakGate(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        super.reportTracedLeak(resourceType, records);
        LEAKS.add(resourceType + " was not released. Recent access records:" + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        super.reportUntracedLeak(resourceType);
        LEAKS.add(resourceType + " was not released (no access records)");
    }

    /** The leaks reported since the last call. */
    static List<String> drain() {
        List<String> out = new ArrayList<>();
        String s;
        while ((s = LEAKS.poll()) != null) out.add(s);
        return out;
    }

    /** Whether the tests run with this detector (they do when started by Maven). */
    public static boolean installed() {
        return LeakGate.class.getName().equals(System.getProperty("io.netty.customResourceLeakDetector"));
    }
}
