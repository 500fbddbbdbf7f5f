package io.jpen.core.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.util.TimeZone;

/**
 * jpen's log line, {@code 2026-12-06T15:32:23.388Z [INFO] Engine - message} (local time with its offset), and the
 * stack trace of an event's exception below it: what the pattern
 * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%level] %logger{0} - %msg%n} gives, written out by hand. Logback's
 * pattern layout brings its parser, a hundred converter classes and java.time's formatting with it, about a fifth
 * of jpen's start-up (docs/performance.md, "Start-up").
 */
public final class LineLayout extends LayoutBase<ILoggingEvent> {
    /**
     * The zone the times are written in; the JVM's default is looked up at the first line, not when logging is set up:
     * the look-up reads the zone database (5-7 ms), and a start writes its first line once it listens
     * (docs/performance.md, "Start-up, third pass"). Two threads may both look it up; they find the same zone.
     */
    private volatile TimeZone zone;

    public LineLayout() {}

    LineLayout(TimeZone zone) {
        this.zone = zone;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(128);
        timestamp(b, event.getTimeStamp());
        b.append(" [").append(event.getLevel()).append("] ");
        String logger = event.getLoggerName();
        b.append(logger, logger.lastIndexOf('.') + 1, logger.length());
        b.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) b.append(ThrowableProxyUtil.asString(thrown)); // each of its lines ends with a separator
        return b.toString();
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS} in the zone, then its offset: Z, or +hh:mm / -hh:mm. */
    void timestamp(StringBuilder b, long epochMillis) {
        TimeZone in = zone;
        if (in == null) zone = in = TimeZone.getDefault();
        int offsetMillis = in.getOffset(epochMillis);
        long local = epochMillis + offsetMillis;
        long days = Math.floorDiv(local, 86_400_000L);
        int msOfDay = (int) Math.floorMod(local, 86_400_000L);
        // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, msOfDay / 3_600_000, 2).append(':');
        pad(b, msOfDay / 60_000 % 60, 2).append(':');
        pad(b, msOfDay / 1000 % 60, 2).append('.');
        pad(b, msOfDay % 1000, 3);
        if (offsetMillis == 0) {
            b.append('Z');
            return;
        }
        int minutes = Math.abs(offsetMillis) / 60_000;
        b.append(offsetMillis < 0 ? '-' : '+');
        pad(b, minutes / 60, 2).append(':');
        pad(b, minutes % 60, 2);
    }

    private static StringBuilder pad(StringBuilder b, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) b.append('0');
        return b.append(s);
    }
}
