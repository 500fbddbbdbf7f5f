package io.jpen.core.cli;

import io.jpen.core.engine.EngineOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The one parser of Pen's command line: picocli with {@link PenOptions}, read the same way by {@code jpen} and by
 * the console's {@code --local} (clustered short options such as {@code -rW}, a later option overriding an
 * earlier one). A bad argument is an {@link IllegalArgumentException} naming it.
 */
public final class PenCommandLine {
    /**
     * Options that only make sense for a daemon of its own (control port, exit, pid file, user, chroot, file
     * directories for remote commands): the console's local balancer has none of that.
     */
    private static final List<String> DAEMON_ONLY = List.of("-C", "-X", "-p", "-u", "-j", "--file-dir",
            "--allow-root-control", "--stop-grace");

    private PenCommandLine() {}

    /** How {@code jpen} and {@code --local} read their arguments; {@code jpen} adds its own options to {@code cl}. */
    public static CommandLine configure(CommandLine cl) {
        cl.setPosixClusteredShortOptionsAllowed(true);
        cl.setOverwrittenOptionsAllowed(true);
        return cl;
    }

    /** A parser of Pen's command line alone, filling {@code options}. */
    public static CommandLine commandLine(PenOptions options) {
        CommandSpec spec = CommandSpec.create();
        options.addTo(spec);
        return configure(new CommandLine(spec));
    }

    /** {@code args} read as jpen reads them. */
    public static PenOptions parse(List<String> args) {
        PenOptions options = new PenOptions();
        try {
            commandLine(options).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return options;
    }

    /**
     * What an in-process balancer runs: the engine's options, and the penctl lines to apply before it listens, in
     * the order jpen applies them (each {@code -O}, then the {@code -F} file as {@code include}; {@code -l} and
     * {@code -w} as {@code log} and {@code web_stats}).
     */
    public record Plan(EngineOptions options, List<String> startup) {
        public Plan {
            startup = List.copyOf(startup);
        }
    }

    /** The console's {@code --local}: refuses by name what only a daemon of its own can do. */
    public static Plan plan(List<String> args) {
        PenOptions o = parse(args);
        CommandLine.ParseResult given = commandLine(new PenOptions()).parseArgs(args.toArray(String[]::new));
        for (String option : DAEMON_ONLY) {
            if (given.hasMatchedOption(option)) {
                throw new IllegalArgumentException("option " + option + " is not supported by the console's local mode;"
                        + " run ./jpen with it and attach the console to its API");
            }
        }
        if (o.listen == null || o.servers.isEmpty()) {
            // jpen may take both from the -F file; the console builds its engine before it reads the file
            throw new IllegalArgumentException("a Pen command line needs a listen address and at least one server, e.g. 8080 127.0.0.1:80");
        }
        EngineOptions engine = o.toEngineOptions(InstantSource.system());
        List<String> startup = new ArrayList<>(o.commands);
        if (o.configFile != null) startup.add("include " + o.configFile);
        if (o.logFile != null) startup.add("log " + o.logFile);
        if (o.webStats != null) startup.add("web_stats " + o.webStats);
        return new Plan(engine, startup);
    }
}
