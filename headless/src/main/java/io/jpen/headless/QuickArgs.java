package io.jpen.headless;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * jpen's command line as its users write it, read without picocli. Building picocli's model of jpen's fifty
 * annotated options by reflection took about 250 ms of a 450 ms start (docs/performance.md, "Start-up"); this
 * reads the same options into the same fields in well under a millisecond. It only takes what it is sure of: a
 * command line with anything else in it (--help, --version, an unknown option, a value that is not a number, a
 * value that looks like an option, "--") returns null, and picocli reads it as before, with its messages.
 *
 * <p>The option names and how many values each takes must stay those of the annotations on {@link PenOptions},
 * {@link ApiOptions} and {@link Jpen}; {@code QuickArgsTest} compares the two readings of many command lines and
 * the two lists of names.
 */
final class QuickArgs {
    private final Jpen jpen = new Jpen();
    private final List<String> positionals = new ArrayList<>();

    private QuickArgs() {}

    /** The command line read into a {@link Jpen}, or null when picocli must read it. */
    static Jpen parse(String[] args) {
        QuickArgs q = new QuickArgs();
        return q.read(args) ? q.jpen : null;
    }

    private boolean read(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                if (longFlag(name)) {
                    if (eq >= 0) return false;
                    continue;
                }
                String value;
                if (eq >= 0) {
                    value = a.substring(eq + 1);
                } else {
                    if (i + 1 >= args.length) return false;
                    value = args[++i];
                }
                if (!plainValue(value) || !longValue(name, value)) return false;
            } else if (a.startsWith("-") && a.length() > 1) {
                // A cluster of short options (-fr, -dd); the first that takes a value takes the rest of the word or the
                // next word.
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    if (shortFlag(c)) continue;
                    if (!takesValue(c)) return false;
                    String value;
                    if (j + 1 < a.length()) {
                        value = a.substring(j + 1);
                    } else {
                        if (i + 1 >= args.length) return false;
                        value = args[++i];
                    }
                    if (!plainValue(value) || !shortValue(c, value)) return false;
                    break;
                }
            } else {
                if (a.isEmpty() || a.equals("-")) return false;
                positionals.add(a);
            }
        }
        if (!positionals.isEmpty()) {
            jpen.options.listen = positionals.get(0);
            jpen.options.servers.addAll(positionals.subList(1, positionals.size()));
        }
        return true;
    }

    /**
     * A value picocli would take as this word too: not empty and not something that looks like an option, except a
     * negative number (-b -1 is a value, and a message about it).
     */
    private static boolean plainValue(String v) {
        if (v.isEmpty()) return false;
        return !v.startsWith("-") || v.matches("-\\d+");
    }

    private boolean shortFlag(char c) {
        PenOptions o = jpen.options;
        switch (c) {
            case 'r' -> o.roundrobin = true;
            case 'h' -> o.hash = true;
            case 'W' -> o.weight = true;
            case 's' -> o.stubborn = true;
            case 'U' -> o.udp = true;
            case 'H' -> o.http = true;
            case 'X' -> o.exitCommand = true;
            case 'd' -> {
                boolean[] more = java.util.Arrays.copyOf(o.debug, o.debug.length + 1);
                more[more.length - 1] = true;
                o.debug = more;
            }
            case 'a' -> o.ascii = true;
            case 'f' -> o.foreground = true;
            case 'R' -> o.tlsRequire = true;
            case 'Z' -> o.tlsCompat = true;
            case 'P', 'Q' -> o.pollChoice = true;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The short options that take a value. */
    static final String SHORT_WITH_VALUE = "bceBtxqmTCFOowlpujEKGAL";

    private static boolean takesValue(char c) {
        return SHORT_WITH_VALUE.indexOf(c) >= 0;
    }

    private boolean shortValue(char c, String v) {
        PenOptions o = jpen.options;
        if (NUMERIC.indexOf(c) >= 0) {
            Integer n = number(v);
            if (n == null) return false; // picocli says what is wrong with it, in its words
            switch (c) {
                case 'b' -> o.blacklist = n;
                case 'c' -> o.clients = n;
                case 't' -> o.timeout = n;
                case 'x' -> o.connMax = n;
                case 'q' -> o.backlog = n;
                case 'm' -> o.multiAccept = n;
                default -> o.tracking = n; // 'T'
            }
            return true;
        }
        switch (c) {
            case 'e' -> o.emergency = v;
            case 'B' -> o.abuse = v;
            case 'C' -> o.control = v;
            case 'F' -> o.configFile = v;
            case 'O', 'o' -> o.commands.add(v);
            case 'w' -> o.webStats = v;
            case 'l' -> o.logFile = v;
            case 'p' -> o.pidFile = v;
            case 'u' -> o.user = v;
            case 'j' -> o.chroot = v;
            case 'E' -> o.tlsCert = v;
            case 'K' -> o.tlsKey = v;
            case 'G' -> o.tlsCaFile = v;
            case 'A' -> o.tlsCaDir = v;
            case 'L' -> o.tlsProtocol = v;
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean longFlag(String name) {
        if (name.equals("--metrics-public")) {
            jpen.api.metricsPublic = true;
            return true;
        }
        return false;
    }

    private boolean longValue(String name, String v) {
        switch (name) {
            case "--transport" -> jpen.options.transport = v;
            case "--threads" -> {
                Integer n = number(v);
                if (n == null) return false;
                jpen.options.threads = n;
            }
            case "--api" -> jpen.api.api = v;
            case "--api-token-file" -> jpen.api.tokenFile = Path.of(v);
            case "--api-tls-cert" -> jpen.api.tlsCert = Path.of(v);
            case "--api-tls-key" -> jpen.api.tlsKey = Path.of(v);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The long options this reads: flags, and those with a value. */
    static final List<String> LONG_FLAGS = List.of("--metrics-public");
    static final List<String> LONG_WITH_VALUE = List.of("--transport", "--threads", "--api", "--api-token-file",
            "--api-tls-cert", "--api-tls-key");
    /** The short options that are flags. */
    static final String SHORT_FLAGS = "rhWsUHXdafRZPQ";

    /** The short options whose value is a number. */
    private static final String NUMERIC = "bctxqmT";

    /**
     * A plain decimal int (no sign but minus, no leading zero), which every way of reading numbers reads alike; null
     * for anything else, which picocli then reads.
     */
    private static Integer number(String v) {
        if (!v.matches("-?(0|[1-9]\\d{0,8})")) return null;
        return Integer.valueOf(v);
    }
}
