package io.jpen.gui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the user asked for on the command line. Parsed without touching JavaFX, so {@code --help} and bad
 * arguments are answered on machines without a display.
 *
 * @param mode       how to start: the start page, the demo, a local engine or an attach to a remote API
 * @param penArgs    for LOCAL: a Pen command line ({@code [host:]port h1[:port...] ...})
 * @param attachUrl  for ATTACH: the remote jpen API, e.g. {@code http://127.0.0.1:9090}
 * @param token      for ATTACH: the API token (may be null when the API needs none)
 * @param dark       start in the dark appearance
 * @param screenshot when set, snapshot every main view to PNGs in this folder and exit
 */
public record LaunchOptions(Mode mode, List<String> penArgs, String attachUrl, String token, boolean dark,
                            Path screenshot, boolean help, boolean version) {

    public enum Mode { START_PAGE, DEMO, LOCAL, ATTACH }

    public LaunchOptions {
        penArgs = List.copyOf(penArgs);
    }

    public static final String USAGE = """
            Usage: jpen-console [--demo | --local PEN-ARGS... | --attach URL [--token T]] [--dark] [--screenshot DIR]

            The jpen desktop console: watch and steer a jpen balancer.

              (no mode)              open the start page (demo, local or attach)
              --demo                 an in-process balancer in front of built-in demo servers with gentle load
              --local PEN-ARGS...    an in-process balancer from a Pen command line, e.g.
                                       --local -r 127.0.0.1:8080 127.0.0.1:8081 127.0.0.1:8082:100
                                       --local -F jpen.cfg 8080 127.0.0.1:8081
                                     (everything after --local is the Pen command line; options
                                     -r -h -W -s -H -b -t -T -c -x -e -B -F -O)
              --attach URL           attach to a running jpen's API, e.g. http://127.0.0.1:9090
              --token T              the API token for --attach (or set JPEN_TOKEN)
              --dark                 start in the dark appearance (Ctrl+Shift+D switches)
              --screenshot DIR       save a PNG of every main view to DIR and exit (use with --demo)
              --help                 show this help
              --version              show the version

            Without a display, use ./jpen (the headless balancer and jpenctl) instead.
            """;

    public static LaunchOptions parse(String... args) {
        Mode mode = Mode.START_PAGE;
        List<String> pen = new ArrayList<>();
        String url = null;
        String token = null;
        boolean dark = false;
        Path shot = null;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h", "-?" -> help = true;
                case "--version", "-V" -> version = true;
                case "--demo" -> mode = only(mode, Mode.DEMO);
                case "--local" -> {
                    mode = only(mode, Mode.LOCAL);
                    pen.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    if (pen.isEmpty()) throw new IllegalArgumentException("--local needs a Pen command line, e.g. --local 8080 127.0.0.1:80");
                    i = args.length;
                }
                case "--attach" -> {
                    mode = only(mode, Mode.ATTACH);
                    url = value(args, ++i, "--attach needs a URL, e.g. --attach http://127.0.0.1:9090");
                }
                case "--token" -> token = value(args, ++i, "--token needs a value");
                case "--dark" -> dark = true;
                case "--light" -> dark = false;
                case "--screenshot" -> shot = Path.of(value(args, ++i, "--screenshot needs a folder"));
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (try --help)");
            }
        }
        if (token == null && mode == Mode.ATTACH) token = System.getenv("JPEN_TOKEN");
        if (token != null && mode != Mode.ATTACH) throw new IllegalArgumentException("--token only goes with --attach");
        if (shot != null && mode == Mode.START_PAGE) throw new IllegalArgumentException("--screenshot needs --demo, --local or --attach");
        return new LaunchOptions(mode, pen, url, token, dark, shot, help, version);
    }

    private static Mode only(Mode current, Mode next) {
        if (current != Mode.START_PAGE) {
            throw new IllegalArgumentException("choose one of --demo, --local and --attach");
        }
        return next;
    }

    private static String value(String[] args, int i, String message) {
        if (i >= args.length || args[i].startsWith("--")) throw new IllegalArgumentException(message);
        return args[i];
    }
}
