package io.jpen.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The provider jpen's launcher names sets logback up exactly as StderrLog does when logback finds it itself. */
class JpenLogProviderTest {
    @Test
    void configuresLogbackAsStderrLogDoesWithoutLookingForIt() {
        JpenLogProvider p = new JpenLogProvider();
        p.initialize();
        assertThat(p.getLoggerFactory()).isInstanceOf(LoggerContext.class);
        LoggerContext c = (LoggerContext) p.getLoggerFactory();
        ch.qos.logback.classic.Logger root = c.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(c.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("stderr");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(stderr.isStarted()).isTrue();
        assertThat(((LayoutWrappingEncoder<?>) stderr.getEncoder()).getLayout()).isInstanceOf(LineLayout.class);
        assertThat(p.getMDCAdapter()).isNotNull();
        assertThat(p.getMarkerFactory()).isNotNull();
        assertThat(p.getRequestedApiVersion()).startsWith("2.");
    }
}
