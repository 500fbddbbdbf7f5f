package io.jpen.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.jpen.core.engine.LogLevelControl;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Pen's debug level as logback levels: 0 puts back the levels the configuration gave (logback.xml: info, Netty
 * warnings only), 1 logs jpen's debug messages (each new connection, refusals, failed sides), 2 and more jpen's
 * trace messages too (each connection's end with its byte counts), 3 and more Netty's debug messages as well.
 */
public final class LogbackLevels implements LogLevelControl {
    /** jpen's own loggers: its classes' names, and the operator's "jpen" log. */
    private static final String[] JPEN = {"io.jpen", "jpen"};
    private static final String NETTY = "io.netty";

    /**
     * Each logger's level as configured, so that debug 0 gives it back (null = inherited). Shared by every instance,
     * as the levels are the process's: a second one must not take the first one's debug levels for configured.
     */
    private static final Map<String, Level> CONFIGURED = new HashMap<>();

    @Override
    public void debug(int level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another slf4j backend: its own configuration decides
        }
        Level jpen = level <= 0 ? null : level == 1 ? Level.DEBUG : Level.TRACE;
        synchronized (CONFIGURED) {
            for (String name : JPEN) set(context.getLogger(name), jpen);
            set(context.getLogger(NETTY), level >= 3 ? Level.DEBUG : null);
        }
    }

    /** Sets {@code logger} to {@code level}, or back to its configured level when null. */
    private static void set(Logger logger, Level level) {
        if (!CONFIGURED.containsKey(logger.getName())) CONFIGURED.put(logger.getName(), logger.getLevel());
        logger.setLevel(level != null ? level : CONFIGURED.get(logger.getName()));
    }
}
