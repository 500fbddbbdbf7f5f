package io.jpen.headless;

/** Sets up slf4j-simple before the first logger exists: timestamps on stderr; -d raises the level. */
final class Logging {
    private Logging() {}

    static void configure(int debugLevel) {
        String level = switch (debugLevel) {
            case 0 -> "info";
            case 1 -> "debug";
            default -> "trace";
        };
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        setIfAbsent("org.slf4j.simpleLogger.log.io.netty", debugLevel >= 3 ? "debug" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
