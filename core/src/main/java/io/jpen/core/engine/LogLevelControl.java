package io.jpen.core.engine;

/**
 * How much the process logs, following Pen's debug level. The engine calls it whenever {@code debug} changes (and
 * once when it is built), so {@code debug N} from any front end reaches the log; the engine itself knows nothing of
 * the logging library behind it.
 */
@FunctionalInterface
public interface LogLevelControl {
    /** For an engine whose process keeps its log levels as configured (most tests). */
    LogLevelControl FIXED = level -> {};

    /**
     * Pen's debug level: 0 the configured levels (info), 1 debug (each new connection), 2 and more trace, 3 and more
     * also the libraries' own debug output.
     */
    void debug(int level);
}
