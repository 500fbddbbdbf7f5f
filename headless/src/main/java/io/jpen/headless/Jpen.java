package io.jpen.headless;

import io.jpen.core.Version;
import io.jpen.core.cli.Binding;
import io.jpen.core.cli.PenCommandLine;
import io.jpen.core.cli.PenOptions;
import io.jpen.core.tls.Renegotiation;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.concurrent.Callable;

/** {@code jpen}: Pen's command line, running the engine in the foreground until TERM or INT. */
public final class Jpen implements Callable<Integer> {
    final PenOptions options = new PenOptions();
    final ApiOptions api = new ApiOptions();
    boolean help;
    boolean version;

    private Signals signals = new Signals();

    /** --help and --version by name, for {@link Binding}. */
    private final Binding.Fields fields = new Binding.Fields() {
        @Override
        public Object get(String option) {
            return option.equals("--help") ? help : version;
        }

        @Override
        public void set(String option, Object v) {
            if (option.equals("--help")) help = (Boolean) v; else version = (Boolean) v;
        }
    };

    public static void main(String[] args) {
        System.exit(run(args, prepare()));
    }

    /** What the process does before it reads its command line (ClassDataTraining does the same). */
    static Signals prepare() {
        // First of all: until jpen handles HUP, the JVM ends the process on it (a reload racing the start).
        Signals signals = Signals.install();
        FastStart.apply();
        Renegotiation.refuse();
        return signals;
    }

    static int run(String[] args) {
        return run(args, new Signals());
    }

    static int run(String[] args, Signals signals) {
        Jpen jpen = new Jpen();
        jpen.signals = signals;
        return commandLine(jpen).execute(args);
    }

    /**
     * jpen's parser, filling {@code jpen}'s fields (ClassDataTraining parses with it too, so that its classes are
     * archived), and the one description of jpen's command. Built without reflection: picocli took 60-70 ms of the
     * start to read annotations (docs/performance.md, "Start-up").
     */
    static CommandLine commandLine(Jpen jpen) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(jpen).name("jpen").versionProvider(new VersionProvider());
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .description("A TCP load balancer compatible with Pen.")
                .footer("", "Example: jpen 8080 10.0.0.1:80 10.0.0.2:80:100",
                        "Control the running balancer with jpenctl (a drop-in for penctl).");
        jpen.options.addTo(spec);
        jpen.api.addTo(spec);
        spec.addOption(Binding.option(jpen.fields, OptionSpec.builder("--help").usageHelp(true).type(boolean.class)
                .paramLabel("<help>").description("Show this help and exit.")));
        spec.addOption(Binding.option(jpen.fields, OptionSpec.builder("--version").versionHelp(true).type(boolean.class)
                .paramLabel("<version>").description("Show the version and exit.")));
        CommandLine cl = PenCommandLine.configure(new CommandLine(spec));
        cl.setParameterExceptionHandler(new BadArgument());
        return cl;
    }

    /**
     * A bad argument: its message and where to look, exit 2. A class rather than a lambda: picocli's classes are of
     * an old class-file version, and the class-data archive leaves out such an interface once a lambda implements it
     * (and with it what refers to it), so that a start loaded them from the jar.
     */
    private static final class BadArgument implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            ex.getCommandLine().getErr().println("jpen: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'jpen --help' for the options.");
            return 2;
        }
    }

    @Override
    public Integer call() {
        return new Foreground(options, api, signals).run();
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"jpen " + Version.get() + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
