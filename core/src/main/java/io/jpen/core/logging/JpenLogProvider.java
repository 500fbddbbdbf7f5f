package io.jpen.core.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Logback set up as {@link StderrLog} sets it up, without looking for it first. SLF4J and logback each find their
 * parts by scanning every jar on the class path for a service entry; opening the jars' directories (Bouncy Castle's
 * alone has thousands of entries) took 80 ms of jpen's start (docs/performance.md, "Start-up"). jpen's launcher names
 * this provider ({@link #install}); with {@code -Dlogback.configurationFile=FILE} logback configures itself as usual.
 */
public final class JpenLogProvider implements SLF4JServiceProvider {
    private SLF4JServiceProvider logback;
    private LoggerContext context;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    /**
     * Makes SLF4J use this provider, unless one is named already; call before anything logs. SLF4J's own note about an
     * explicitly named provider is not shown (warnings and errors still are).
     */
    public static void install() {
        if (System.getProperty("slf4j.provider") != null) return;
        System.setProperty("slf4j.provider", JpenLogProvider.class.getName());
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "WARN");
    }

    @Override
    public void initialize() {
        if (System.getProperty("logback.configurationFile") != null) {
            logback = new LogbackServiceProvider(); // the operator's file, read the way logback always reads it
            logback.initialize();
            return;
        }
        LoggerContext c = new LoggerContext();
        c.setName("default");
        LogbackMDCAdapter m = new LogbackMDCAdapter();
        c.setMDCAdapter(m);
        StderrLog log = new StderrLog();
        log.setContext(c);
        log.configure(c);
        c.start();
        context = c;
        mdc = m;
        markers = new BasicMarkerFactory();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return logback != null ? logback.getLoggerFactory() : context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return logback != null ? logback.getMarkerFactory() : markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return logback != null ? logback.getMDCAdapter() : mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return LogbackServiceProvider.REQUESTED_API_VERSION;
    }
}
