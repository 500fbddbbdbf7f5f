package io.jpen.core.model;

/**
 * The global settings of active health checks ({@code health_interval}, {@code health_timeout},
 * {@code health_rise}, {@code health_fall}). Times are kept in milliseconds; the commands take seconds, with a
 * fraction if wanted ({@code health_interval 0.5}).
 *
 * @param intervalMillis how often each server with a check is probed (default 2 s)
 * @param timeoutMillis  how long one probe may take, connect and answer together; 0 = the connect timeout
 *                       ({@code timeout}, Pen's -t)
 * @param rise           passed checks in a row that bring a down server back (default 2)
 * @param fall           failed checks in a row that take a server down (default 3)
 */
public record HealthSettings(long intervalMillis, long timeoutMillis, int rise, int fall) {
    public static final HealthSettings DEFAULTS = new HealthSettings(2000, 0, 2, 3);
    /** Probes closer together than this would be a load test, not a health check. */
    public static final long MIN_INTERVAL_MILLIS = 50;
    public static final long MAX_MILLIS = 86_400_000L;

    public HealthSettings {
        if (intervalMillis < MIN_INTERVAL_MILLIS || intervalMillis > MAX_MILLIS) {
            throw new IllegalArgumentException("health_interval must be 0.05-86400 seconds, not " + Seconds.text(intervalMillis));
        }
        if (timeoutMillis != 0 && (timeoutMillis < MIN_INTERVAL_MILLIS || timeoutMillis > MAX_MILLIS)) {
            throw new IllegalArgumentException("health_timeout must be 0 (the connect timeout) or 0.05-86400 seconds, not " + Seconds.text(timeoutMillis));
        }
        if (rise < 1 || rise > 1000) throw new IllegalArgumentException("health_rise must be 1-1000, not " + rise);
        if (fall < 1 || fall > 1000) throw new IllegalArgumentException("health_fall must be 1-1000, not " + fall);
    }

    /** The timeout of one probe: health_timeout, or the connect timeout when that is 0. */
    public long timeoutMillis(int connectTimeoutSeconds) {
        return timeoutMillis != 0 ? timeoutMillis : connectTimeoutSeconds * 1000L;
    }

    public HealthSettings withIntervalMillis(long v) { return new HealthSettings(v, timeoutMillis, rise, fall); }
    public HealthSettings withTimeoutMillis(long v) { return new HealthSettings(intervalMillis, v, rise, fall); }
    public HealthSettings withRise(int v) { return new HealthSettings(intervalMillis, timeoutMillis, v, fall); }
    public HealthSettings withFall(int v) { return new HealthSettings(intervalMillis, timeoutMillis, rise, v); }

    /** Seconds with an optional fraction, as the commands take and print them. */
    public static final class Seconds {
        private Seconds() {}

        /** {@code 2000} → {@code "2"}, {@code 500} → {@code "0.5"}. */
        public static String text(long millis) {
            return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
        }

        /** {@code "2"} → 2000, {@code "0.25"} → 250; at most three decimals. */
        public static long parse(String what, String text) {
            if (!text.matches("\\d{1,6}(\\.\\d{1,3})?")) {
                throw new IllegalArgumentException(what + ": '" + text + "' is not a number of seconds (e.g. 2 or 0.5)");
            }
            return new java.math.BigDecimal(text).movePointRight(3).longValueExact();
        }
    }
}
