package io.jpen.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The probe's count of its own CPU by kind of thread, read from /proc/self/task. */
@Timeout(30)
class ThreadCpuTest {

    @Test
    void threadsAreSortedByTheNamesTheEngineAndTheConsoleGiveThem() {
        assertThat(ThreadCpu.kind("jpen-io-2-1")).isEqualTo("relay");
        assertThat(ThreadCpu.kind("jpen-sampler")).isEqualTo("console");
        assertThat(ThreadCpu.kind("jpen-api-io-3-1")).isEqualTo("console");
        assertThat(ThreadCpu.kind("C2 CompilerThre")).isEqualTo("compiler");
        assertThat(ThreadCpu.kind("VM Thread")).isEqualTo("other");
    }

    @Test
    void cpuBurnedOnARelayThreadIsCountedAsTheRelays() throws Exception {
        assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task")), "needs Linux /proc");
        double before = ThreadCpu.byKind().get("relay");
        Thread burner = new Thread(() -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            long x = 0;
            while (System.nanoTime() < end) x += x * 31 + 7;
            if (x == 42) System.out.print(""); // keeps the loop from being dropped
        }, "jpen-io-test");
        burner.start();
        // Read while the thread still exists: /proc/self/task forgets a thread once it has ended.
        Thread.sleep(450);
        double during = ThreadCpu.byKind().get("relay");
        burner.join();
        assertThat(during - before).as("seconds of CPU counted for the relay").isGreaterThan(0.2);
        assertThat(ThreadCpu.report()).matches("ConsoleProbe: thread CPU \\(s\\): relay [\\d.]+ console [\\d.]+ compiler [\\d.]+ other [\\d.]+");
    }
}
