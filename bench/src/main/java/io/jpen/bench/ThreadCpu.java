package io.jpen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * This process's CPU time by kind of thread, from /proc/self/task: the relay's event loops, the console (sampler,
 * API, command threads), the JIT compilers and the rest. It shows the console's own cost directly, where comparing
 * two instances' CPU per request mixes it with the round-to-round noise of the load.
 */
final class ThreadCpu {
    static final String[] KINDS = {"relay", "console", "compiler", "other"};

    private ThreadCpu() {}

    static String kind(String threadName) {
        if (threadName.startsWith("jpen-io")) return "relay";
        if (threadName.startsWith("jpen-")) return "console"; // jpen-sampler, jpen-api-io, jpen-console-commands...
        if (threadName.startsWith("C1 ") || threadName.startsWith("C2 ")) return "compiler";
        return "other";
    }

    /** Seconds of CPU (user + system) per kind, in the order of {@link #KINDS}; empty where /proc is not there. */
    static Map<String, Double> byKind() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String k : KINDS) seconds.put(k, 0.0);
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip();
                    String stat = Files.readString(t.resolve("stat"));
                    // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    seconds.merge(kind(name), ticks / 100.0, Double::sum); // USER_HZ is 100 on Linux
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while it was read
                }
            }
        } catch (IOException notLinux) {
            return Map.of();
        }
        return seconds;
    }

    /** The line bench/table.py looks for. */
    static String report() {
        StringBuilder sb = new StringBuilder("ConsoleProbe: thread CPU (s):");
        byKind().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.2f", k, v)));
        return sb.toString();
    }
}
