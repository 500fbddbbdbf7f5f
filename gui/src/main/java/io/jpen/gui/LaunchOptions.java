package io.jpen.gui;

import io.jpen.gui.app.BalancerSpec;
import io.jpen.gui.app.Workspaces;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the user asked for on the command line. Parsed without touching JavaFX, so {@code --help} and bad
 * arguments are answered on machines without a display.
 *
 * @param balancers     what to open, in order: the demo, local balancers, attaches (several make a fleet)
 * @param workspace     a saved workspace to open (its balancers come before those on the command line)
 * @param saveWorkspace save the balancers under this name before opening them
 * @param sshConfig     an ssh_config to use instead of ~/.ssh/config for ssh:// attaches (ssh's -F)
 * @param dark          start in the dark appearance
 * @param screenshot    when set, snapshot every main view to PNGs in this folder and exit
 */
public record LaunchOptions(List<BalancerSpec> balancers, String workspace, String saveWorkspace, Path sshConfig,
                            boolean dark, Path screenshot, boolean help, boolean version) {

    /** How the window starts: the start page, one balancer of a kind, or several (a fleet). */
    public enum Mode { START_PAGE, DEMO, LOCAL, ATTACH, FLEET }

    public LaunchOptions {
        balancers = List.copyOf(balancers);
    }

    public static final String USAGE = """
            Usage: jpen-console [--demo] [--attach ADDRESS [--token-file F]]... [--workspace NAME]
                                [--save-workspace NAME] [--local PEN-ARGS...] [--dark] [--screenshot DIR]

            The jpen desktop console: watch and steer jpen balancers, one or a fleet.

              (nothing)              open the start page (demo, local or attach)
              --demo                 an in-process balancer in front of built-in demo servers with gentle load
              --attach ADDRESS       attach to a running jpen (repeat for several):
                                       http://127.0.0.1:9090    its API (jpen --api 9090)
                                       ssh://[user@]host[:port] over SSH, with your own keys, agent,
                                                                ~/.ssh/config and known_hosts; the API stays on
                                                                the remote loopback and the token is read there
                                         ?api=[addr:]port       where the remote API listens (default 9090)
                                         &token-file=PATH       the remote token file (default jpen's own,
                                                                ~/.config/jpen/api-token of the SSH user)
              --token-file F         the API token for the http(s) --attach before it, read from a file
              --token T              the same given directly (seen by others in 'ps': prefer --token-file
                                     or JPEN_TOKEN)
              --workspace NAME       open a saved set of balancers
              --save-workspace NAME  save the balancers given here as NAME (tokens are never saved)
              --ssh-config FILE      for ssh:// attaches, read FILE instead of ~/.ssh/config
              --local PEN-ARGS...    an in-process balancer from a Pen command line, e.g.
                                       --local -r 127.0.0.1:8080 127.0.0.1:8081 127.0.0.1:8082:100
                                       --local -F jpen.cfg 8080 127.0.0.1:8081
                                     (everything after --local is the Pen command line, read as
                                     jpen reads it; not -C -X -p -u -j, which need ./jpen)
              --dark                 start in the dark appearance (Ctrl+Shift+D switches)
              --screenshot DIR       save a PNG of every main view to DIR and exit (with --demo; with
                                     several balancers, of the fleet views)
              --help                 show this help
              --version              show the version

            Workspaces live in ~/.config/jpen/workspaces (or $XDG_CONFIG_HOME/jpen/workspaces).
            Without a display, use ./jpen (the headless balancer and jpenctl) instead.
            """;

    public static LaunchOptions parse(String... args) {
        List<BalancerSpec> balancers = new ArrayList<>();
        String token = null;
        Path tokenFile = null;
        String workspace = null;
        String save = null;
        Path sshConfig = null;
        boolean dark = false;
        Path shot = null;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h", "-?" -> help = true;
                case "--version", "-V" -> version = true;
                case "--demo" -> {
                    if (balancers.stream().anyMatch(b -> b.kind() == BalancerSpec.Kind.DEMO)) {
                        throw new IllegalArgumentException("--demo is given twice");
                    }
                    balancers.add(BalancerSpec.demo());
                }
                case "--local" -> {
                    List<String> pen = Arrays.asList(args).subList(i + 1, args.length);
                    if (pen.isEmpty()) throw new IllegalArgumentException("--local needs a Pen command line, e.g. --local 8080 127.0.0.1:80");
                    balancers.add(BalancerSpec.local(pen));
                    i = args.length;
                }
                case "--attach" -> balancers.add(BalancerSpec.attach(
                        value(args, ++i, "--attach needs an address, e.g. --attach http://127.0.0.1:9090 or --attach ssh://host")));
                case "--token", "--token-file" -> {
                    String v = value(args, ++i, a + " needs a value");
                    int last = balancers.size() - 1;
                    boolean forLast = last >= 0 && balancers.get(last).kind() == BalancerSpec.Kind.ATTACH;
                    if (forLast) {
                        BalancerSpec b = balancers.get(last);
                        balancers.set(last, a.equals("--token") ? b.withToken(v) : b.withTokenFile(Path.of(v)));
                    } else if (a.equals("--token")) {
                        token = v; // before any --attach: for every http(s) one without its own
                    } else {
                        tokenFile = Path.of(v);
                    }
                }
                case "--workspace" -> workspace = value(args, ++i, "--workspace needs a name");
                case "--save-workspace" -> save = value(args, ++i, "--save-workspace needs a name");
                case "--ssh-config" -> sshConfig = Path.of(value(args, ++i, "--ssh-config needs a file"));
                case "--dark" -> dark = true;
                case "--light" -> dark = false;
                case "--screenshot" -> shot = Path.of(value(args, ++i, "--screenshot needs a folder"));
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (try --help)");
            }
        }
        boolean anyHttp = balancers.stream().anyMatch(b -> b.kind() == BalancerSpec.Kind.ATTACH && !b.ssh());
        if ((token != null || tokenFile != null) && !anyHttp && workspace == null) {
            throw new IllegalArgumentException("--token only goes with --attach (an http or https address)");
        }
        balancers = withTokens(balancers, token, tokenFile, System.getenv("JPEN_TOKEN"));
        if (shot != null && balancers.isEmpty() && workspace == null) {
            throw new IllegalArgumentException("--screenshot needs --demo, --local, --attach or --workspace");
        }
        if (save != null && balancers.isEmpty() && workspace == null) {
            throw new IllegalArgumentException("--save-workspace needs balancers to save: --attach, --local or --demo");
        }
        return new LaunchOptions(balancers, workspace, save, sshConfig, dark, shot, help, version);
    }

    /** Gives every http(s) attach without a token of its own the common one: --token/--token-file, else JPEN_TOKEN. */
    private static List<BalancerSpec> withTokens(List<BalancerSpec> in, String token, Path tokenFile, String env) {
        List<BalancerSpec> out = new ArrayList<>();
        for (BalancerSpec b : in) {
            if (b.kind() == BalancerSpec.Kind.ATTACH && !b.ssh() && b.token() == null && b.tokenFile() == null) {
                if (tokenFile != null) b = b.withTokenFile(tokenFile);
                else if (token != null) b = b.withToken(token);
                else if (env != null && !env.isBlank()) b = b.withToken(env.strip());
            }
            out.add(b);
        }
        return out;
    }

    /**
     * Opens the workspace (its balancers first, then those of the command line) and saves the result when
     * asked; returns options whose {@link #balancers()} are everything to open.
     */
    public LaunchOptions withWorkspaces(Workspaces workspaces) {
        List<BalancerSpec> all = new ArrayList<>();
        if (workspace != null) all.addAll(withTokens(workspaces.load(workspace), null, null, System.getenv("JPEN_TOKEN")));
        all.addAll(balancers);
        if (saveWorkspace != null) workspaces.save(saveWorkspace, all);
        return new LaunchOptions(all, null, saveWorkspace, sshConfig, dark, screenshot, help, version);
    }

    public Mode mode() {
        if (balancers.isEmpty()) return workspace != null ? Mode.FLEET : Mode.START_PAGE;
        if (balancers.size() > 1 || workspace != null) return Mode.FLEET;
        return switch (balancers.get(0).kind()) {
            case DEMO -> Mode.DEMO;
            case LOCAL -> Mode.LOCAL;
            case ATTACH -> Mode.ATTACH;
        };
    }

    /** The Pen command line of the first local balancer (empty when there is none). */
    public List<String> penArgs() {
        return balancers.stream().filter(b -> b.kind() == BalancerSpec.Kind.LOCAL).findFirst().map(BalancerSpec::penArgs).orElse(List.of());
    }

    /** The address of the first attach, or null. */
    public String attachUrl() {
        return first().map(BalancerSpec::address).orElse(null);
    }

    /** The token of the first attach (given, or read from its token file), or null. */
    public String token() {
        return first().map(b -> b.token() != null ? b.token()
                : b.tokenFile() != null ? io.jpen.core.api.ApiToken.read(b.tokenFile()) : null).orElse(null);
    }

    private java.util.Optional<BalancerSpec> first() {
        return balancers.stream().filter(b -> b.kind() == BalancerSpec.Kind.ATTACH).findFirst();
    }

    private static String value(String[] args, int i, String message) {
        if (i >= args.length || args[i].startsWith("--")) throw new IllegalArgumentException(message);
        return args[i];
    }
}
