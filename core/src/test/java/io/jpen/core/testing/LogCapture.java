package io.jpen.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What one logger (and those below it) logs while a test runs, as "LEVEL message" lines. The lines go only here,
 * not on to stderr, until it is closed.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final boolean additive;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            // a line logged with an exception says so: tests check that none reaches an operator's log
            lines.add(e.getLevel() + " " + e.getFormattedMessage()
                    + (e.getThrowableProxy() != null ? " [stack trace of " + e.getThrowableProxy().getClassName() + "]" : ""));
        }
    };

    public LogCapture(String loggerName) {
        logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(loggerName);
        additive = logger.isAdditive();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines that contain {@code text}. */
    public List<String> linesWith(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setAdditive(additive);
        appender.stop();
    }
}
