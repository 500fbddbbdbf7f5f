package io.jpen.core.testing;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.PrintStream;
import java.util.List;

/**
 * Fails a test class when Netty found a buffer that was never released while it ran (registered for every test
 * class through junit-platform.properties). A leak is found only once the buffer has been garbage-collected and
 * the detector next looks, so this collects garbage and makes the detector look before it asks.
 */
public final class LeakCheck implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (!LeakGate.installed()) return;
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer(s) leaked during " + context.getDisplayName()
                    + " (or a test class before it):\n" + String.join("\n\n", leaks));
        }
    }

    /** The leaks Netty has found since the last call, after making it look for them. */
    public static List<String> collect() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            collected();
            // The detector polls for collected, unreleased buffers when the next buffer is tracked.
            PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
            PooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
            UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
        return LeakGate.drain();
    }

    /**
     * Runs a garbage collection and returns once it has queued the weak references it cleared (a canary's), which
     * is what the leak detector looks at, instead of sleeping and hoping it has.
     */
    private static void collected() throws InterruptedException {
        java.lang.ref.ReferenceQueue<Object> cleared = new java.lang.ref.ReferenceQueue<>();
        java.lang.ref.WeakReference<Object> canary = new java.lang.ref.WeakReference<>(new Object(), cleared);
        System.gc();
        if (cleared.remove(10_000) == null) throw new AssertionError("no garbage collection cleared a weak reference in 10 s");
        java.lang.ref.Reference.reachabilityFence(canary);
    }

    /**
     * For the long runs outside Surefire (load, fuzz): prints what {@link #collect} finds and returns how many leaks
     * that is, 0 when the run was started without {@link LeakGate}.
     */
    public static int report(PrintStream out) throws InterruptedException {
        if (!LeakGate.installed()) return 0;
        List<String> leaks = collect();
        out.println("leaks: " + (leaks.isEmpty() ? "none reported" : leaks.size() + " reported (FAILED)"));
        for (String leak : leaks) out.println(leak);
        return leaks.size();
    }
}
