package io.jpen.headless;

import io.jpen.core.logging.JpenLogProvider;

import java.util.Locale;

/**
 * What jpen's main sets before anything else runs. No library scans every jar on the class path for a service:
 * opening the jars' directories took 80 ms for SLF4J's provider and as much again for the JDK's selector provider,
 * which Netty's epoll transport asks for when it loads (docs/performance.md, "Start-up"). And Netty keeps one buffer
 * pool in chunks of 1 MiB: by default Netty 4.2 has two allocators (its adaptive one for channels that do not name
 * one, the pooled one jpen's relay uses), and the pooled one takes memory in 4 MiB chunks: after the first connection
 * the process held 4 MiB more (native memory tracking, docs/performance.md, "Memory"). picocli looks for Groovy's
 * {@code groovy.lang.Closure} when it builds a parser: a class that is nowhere, so the JVM opened every jar on the class
 * path in search of it, 60-120 ms of a start (the signed Bouncy Castle jars most of it). Netty asks whether Flight
 * Recorder is there as it starts (6 ms), and its buffer pool then reports chunk and buffer events to it: their classes
 * cannot be in the class-data archive, and the first connection loaded them and Flight Recorder's machinery (about
 * 80 classes and generated handlers, ~100 ms on one core); {@code -Dio.netty.jfr.enabled=true} gives those events
 * back to whoever profiles with Flight Recorder. picocli's converters for types jpen's options do not have are left
 * out. Netty's leak detector is off: at its default level it wraps one buffer in 128 and walks the event loop's stack
 * twice for it (at allocation and at release), 1-3 % of the CPU of a new connection (perf, docs/performance.md,
 * "Where a new connection's CPU goes"); the test suite, the soak and the fuzzer run it at its strictest and fail on a
 * leak, and {@code -Dio.netty.leakDetection.level=simple} brings it back to a running balancer. Each is set only
 * where the operator has not set it.
 */
final class FastStart {
    /** The JDK's own selector provider on Linux, the one it would find after the scan. */
    static final String LINUX_SELECTOR_PROVIDER = "sun.nio.ch.EPollSelectorProvider";
    private static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";
    /**
     * picocli's converters for java.sql's and java.time's types, which no option of jpen's has: picocli registers them
     * by reflection when it makes a parser, initialising java.time's formatters and zone rules and java.sql's classes
     * for it (about 85 classes; 2-3 ms of CPU of a start, docs/performance.md, "Start-up, third pass").
     */
    static final String PICOCLI_UNUSED_CONVERTERS = "java\\.(sql|time)\\..*";

    private FastStart() {}

    static void apply() {
        JpenLogProvider.install(); // before anything logs
        setIfAbsent("picocli.disable.closures", "true");
        setIfAbsent("picocli.converters.excludes", PICOCLI_UNUSED_CONVERTERS);
        setIfAbsent("io.netty.jfr.enabled", "false");
        setIfAbsent("io.netty.leakDetection.level", "disabled");
        setIfAbsent("io.netty.allocator.type", "pooled");
        // 8 KiB pages << 7: the largest buffer jpen reads into (64 KiB) still comes from the pool
        setIfAbsent("io.netty.allocator.maxOrder", "7");
        if (System.getProperty(SELECTOR_PROVIDER) == null
                && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && jdkHas(LINUX_SELECTOR_PROVIDER)) {
            System.setProperty(SELECTOR_PROVIDER, LINUX_SELECTOR_PROVIDER);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    private static boolean jdkHas(String className) {
        try {
            Class.forName(className, false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // another JDK: it looks for its provider the usual way
        }
    }
}
