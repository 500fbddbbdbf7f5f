package io.jpen.gui.testing;

import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reads and waits on the FX thread, always bounded, for the console's TestFX tests. */
public final class Fx {
    private Fx() {}

    /** Runs {@code c} on the FX thread and returns its result (at most 10 s). */
    public static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the condition, evaluated on the FX thread, holds (at most 20 s). */
    public static void waitFor(Callable<Boolean> condition) {
        waitFor(condition, () -> "");
    }

    /** The same; when it times out, the message says what {@code seen} (read on the FX thread then) returned. */
    public static void waitFor(Callable<Boolean> condition, Callable<String> seen) {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(condition));
        } catch (TimeoutException e) {
            String what = fx(seen);
            throw new AssertionError("condition not met within 20 s" + (what.isEmpty() ? "" : "; seen: " + what), e);
        }
    }
}
