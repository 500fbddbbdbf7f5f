package io.jpen.gui.app;

import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Addresses;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.HostPort;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of Pen's command line the console's local mode needs: {@code [options] [host:]port h1[:port[:soft[:hard
 * [:weight[:prio]]]]] ...} with the selection and limit options, a config file ({@code -F}) and start-up
 * commands ({@code -O}). Anything else is refused by name, so the user
 * knows to run the full {@code ./jpen} and attach to it instead.
 */
public final class PenCommandLine {
    private PenCommandLine() {}

    /**
     * What to run: the engine's options, and the penctl commands to apply before it listens ({@code -F file}
     * becomes {@code include file}, each {@code -O cmd} the command itself), in command-line order.
     */
    public record Plan(EngineOptions options, List<String> startup) {
        public Plan {
            startup = List.copyOf(startup);
        }
    }

    public static EngineOptions parse(List<String> args) {
        return plan(args).options();
    }

    public static Plan plan(List<String> args) {
        Settings s = Settings.defaults();
        List<String> startup = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            switch (a) {
                case "-r" -> s = s.withRoundrobin(true);
                case "-h" -> s = s.withHash(true);
                case "-W" -> s = s.withWeight(true);
                case "-s" -> s = s.withStubborn(true);
                case "-H" -> s = s.withHttp(true);
                case "-f" -> { } // Pen's "stay in the foreground": an in-process engine always is
                case "-b" -> s = s.withBlacklistSeconds(number(args, ++i, a));
                case "-t" -> s = s.withTimeoutSeconds(number(args, ++i, a));
                case "-T" -> s = s.withTrackingSeconds(number(args, ++i, a));
                case "-c" -> s = s.withClientsMax(number(args, ++i, a));
                case "-x" -> s = s.withConnMax(number(args, ++i, a));
                case "-e" -> s = s.withEmergency(hostPort(value(args, ++i, a), a));
                case "-B" -> s = s.withAbuse(hostPort(value(args, ++i, a), a));
                case "-F" -> startup.add("include " + value(args, ++i, a));
                case "-O", "-o" -> startup.add(value(args, ++i, a));
                default -> throw new IllegalArgumentException("option " + a + " is not supported by the console's local mode;"
                        + " run ./jpen with it and attach the console to its API");
            }
        }
        if (positional.size() < 2) {
            throw new IllegalArgumentException("a Pen command line needs a listen address and at least one server, e.g. 8080 127.0.0.1:80");
        }
        Endpoint listen = Addresses.endpoint(positional.get(0));
        int defaultPort = listen instanceof Endpoint.Tcp t ? t.port() : 0;
        List<ServerSpec> servers = new ArrayList<>();
        for (String spec : positional.subList(1, positional.size())) servers.add(Addresses.server(spec, defaultPort));
        return new Plan(EngineOptions.of(listen, servers, s), startup);
    }

    private static HostPort hostPort(String text, String option) {
        try {
            return Addresses.hostPort(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }



    private static int number(List<String> args, int i, String option) {
        int v = integer(value(args, i, option), option);
        if (v < 0) throw new IllegalArgumentException(option + " must not be negative");
        return v;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value");
        return args.get(i);
    }

    private static int integer(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a number");
        }
    }
}
