package io.jpen.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/** jpen's hand-written log line is the one logback's pattern layout wrote, in any zone, with or without a trace. */
class LineLayoutTest {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%level] %logger{0} - %msg%n";
    private static final long[] TIMES = {0L, 1_765_034_343_388L, 951_782_400_000L /* 2000-02-29 */, 4_102_444_799_999L,
            1_711_846_800_123L /* 2024-03-31, DST changes in Europe */, -86_400_001L};

    @Test
    void writesWhatThePatternWrote() {
        for (String zoneId : new String[]{"UTC", "Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles", "Australia/Eucla"}) {
            TimeZone zone = TimeZone.getTimeZone(zoneId);
            TimeZone before = TimeZone.getDefault();
            TimeZone.setDefault(zone); // the pattern formats in the default zone
            try {
                LoggerContext context = new LoggerContext();
                PatternLayout pattern = new PatternLayout();
                pattern.setContext(context);
                pattern.setPattern(PATTERN);
                pattern.start();
                LineLayout line = new LineLayout(zone);
                line.setContext(context);
                line.start();
                for (long t : TIMES) {
                    LoggingEvent e = event(context, t, Level.WARN, "io.jpen.core.engine.Engine", "server {} failed", null);
                    assertThat(line.doLayout(e)).as("%s at %d", zoneId, t).isEqualTo(pattern.doLayout(e));
                }
                LoggingEvent withTrace = event(context, TIMES[1], Level.ERROR, "jpen", "housekeeping failed",
                        new IllegalStateException("outer", new java.io.IOException("inner")));
                assertThat(line.doLayout(withTrace)).isEqualTo(pattern.doLayout(withTrace));
            } finally {
                TimeZone.setDefault(before);
            }
        }
    }

    /** The zone database is read when the first line is written (after a start listens), not when logging is set up. */
    @Test
    void takesTheDefaultZoneAtTheFirstLineNotWhenMade() {
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        try {
            LoggerContext context = new LoggerContext();
            LineLayout line = new LineLayout();
            line.setContext(context);
            line.start();
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            LoggingEvent e = event(context, TIMES[1], Level.INFO, "jpen", "listening", null);
            assertThat(line.doLayout(e)).startsWith("2025-12-06T20:49:03.388+05:30 [INFO] jpen - listening");
            TimeZone.setDefault(TimeZone.getTimeZone("UTC")); // later lines keep the zone of the first
            assertThat(line.doLayout(e)).startsWith("2025-12-06T20:49:03.388+05:30");
        } finally {
            TimeZone.setDefault(before);
        }
    }

    private static LoggingEvent event(LoggerContext context, long millis, Level level, String logger, String message,
                                      Throwable thrown) {
        LoggingEvent e = new LoggingEvent("fqcn", context.getLogger(logger), level, message, thrown, new Object[]{"0"});
        e.setTimeStamp(millis);
        return e;
    }
}
