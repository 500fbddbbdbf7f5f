package io.jpen.gui.model;

import java.util.Locale;

/** How numbers read in the console. */
public final class Format {
    private Format() {}

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    public static String bytes(double n) {
        int u = 0;
        while (n >= 1000 && u < UNITS.length - 1) {
            n /= 1000;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f %s", n, UNITS[u]) : String.format(Locale.ROOT, "%.1f %s", n, UNITS[u]);
    }

    public static String rate(double bytesPerSecond) {
        return bytes(bytesPerSecond) + "/s";
    }

    public static String perSecond(double n) {
        return String.format(Locale.ROOT, n < 10 ? "%.1f/s" : "%.0f/s", n);
    }

    /** "0.21 / 1.4 ms": a median and a 99th percentile; "" when {@code count} is 0 (nothing measured). */
    public static String latency(double p50, double p99, long count) {
        if (count == 0) return "";
        return millis(p50) + " / " + millis(p99) + " ms";
    }

    private static String millis(double ms) {
        return String.format(Locale.ROOT, ms < 1 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f", ms);
    }

    /** 0.4 s, 12 s, 3 m 05 s, 2 h 03 m, 4 d 02 h. */
    public static String duration(long millis) {
        if (millis < 0) millis = 0;
        long s = millis / 1000;
        if (s < 10) return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        if (s < 60) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%d m %02d s", s / 60, s % 60);
        if (s < 86400) return String.format(Locale.ROOT, "%d h %02d m", s / 3600, s / 60 % 60);
        return String.format(Locale.ROOT, "%d d %02d h", s / 86400, s / 3600 % 24);
    }
}
