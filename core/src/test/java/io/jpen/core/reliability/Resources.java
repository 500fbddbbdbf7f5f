package io.jpen.core.reliability;

import com.sun.management.UnixOperatingSystemMXBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What this process holds: open descriptors and heap, read the way an operator would (/proc, the MXBeans). */
final class Resources {
    private Resources() {}

    /** Open file descriptors of this JVM (sockets, epoll instances, pipes, jars). */
    static long openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean u) {
                return u.getOpenFileDescriptorCount();
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Heap in use after asking for a full collection (twice: the first may only queue finalizable objects). */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return u.getUsed();
    }

    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
