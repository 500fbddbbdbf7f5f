package io.jpen.gui.app;

import io.jpen.core.control.Penctl;
import io.jpen.core.cli.PenCommandLine;
import io.jpen.core.console.Console;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.api.client.RemoteConsole;
import io.jpen.core.api.client.ssh.HostKeyQuestion;
import io.jpen.core.api.client.ssh.SshClient;
import io.jpen.core.api.client.ssh.SshConsole;
import io.jpen.core.api.client.ssh.SshTarget;
import io.jpen.core.model.Origin;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.logging.LogbackLevels;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.gui.demo.DemoServer;
import io.jpen.gui.demo.LoadGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Starts the three kinds of session. Blocking (binds sockets): call off the FX thread. */
public final class Sessions {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("jpen");

    private Sessions() {}

    /** What the demo is, as the start page says it. */
    public static final String DEMO_DESCRIPTION = "A balancer in this window in front of three small demo servers on "
            + "loopback (alpha, beta and gamma), with gentle traffic, so you can try every view at once. A fourth server, "
            + "“dead on purpose”, is an address where nothing listens: it shows failover and blacklisting. "
            + "Nothing leaves this machine.";
    /** The name the demo gives its fourth server, where nothing listens. */
    public static final String DEAD_ON_PURPOSE = "dead on purpose";

    /**
     * An engine on an ephemeral loopback port in front of three demo servers (weights 3, 2, 1) and one address
     * where nothing listens — so the event log and the blacklisted state have something to show — with load.
     * The session names its servers, so the console shows which is which and why one keeps failing.
     */
    public static Session demo() {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            List<ServerSpec> specs = new ArrayList<>();
            java.util.Map<String, String> serverNames = new java.util.LinkedHashMap<>();
            String[] names = {"alpha", "beta", "gamma"};
            for (int i = 0; i < names.length; i++) {
                DemoServer d = new DemoServer(names[i]);
                owned.add(d);
                specs.add(new ServerSpec("127.0.0.1", d.port(), 0, 0, 3 - i, 0, -1));
                serverNames.put("127.0.0.1:" + d.port(), names[i]);
            }
            int dead = closedPort();
            specs.add(new ServerSpec("127.0.0.1", dead, 0, 0, 1, 0, -1));
            serverNames.put("127.0.0.1:" + dead, DEAD_ON_PURPOSE);
            Settings settings = Settings.defaults().withRoundrobin(true).withBlacklistSeconds(20).withTrackingSeconds(30);
            // a concrete free port rather than 0, so the console (and the user, with curl) sees where it listens
            Engine engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", closedPort()), specs, settings),
                    new LogbackLevels());
            engine.start();
            owned.add(engine);
            // Said once, so the warning that follows (and the blacklist it shows every 20 s) is no surprise.
            log.info("demo: server {} (127.0.0.1:{}) is down on purpose: nothing listens there, so failover and the"
                    + " blacklist have something to show", names.length, dead);
            LocalConsole console = new LocalConsole(new Penctl(engine));
            LoadGenerator load = new LoadGenerator(new InetSocketAddress(InetAddress.getLoopbackAddress(), engine.port()), 24)
                    .start(120);
            owned.add(load);
            return new Session("demo", console, owned, serverNames);
        } catch (IOException | RuntimeException e) {
            closeAll(owned);
            throw e instanceof IOException io ? new UncheckedIOException("cannot start the demo: " + e.getMessage(), io)
                    : (RuntimeException) e;
        }
    }

    /** An in-process engine from a Pen command line. */
    public static Session local(List<String> penArgs) {
        PenCommandLine.Plan plan = PenCommandLine.plan(penArgs);
        Engine engine = new Engine(plan.options(), new LogbackLevels());
        Penctl penctl = new Penctl(engine);
        try {
            // like ./jpen: the config file and -O commands apply before the balancer listens
            for (String line : plan.startup()) {
                Reply r = penctl.execute(line, Origin.CONFIG);
                if (!r.ok()) throw new IllegalArgumentException("'" + line + "': " + r.text().strip());
            }
            engine.start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new Session("local", new LocalConsole(penctl), List.of(engine));
    }

    /**
     * Attaches to a jpen's API ({@code ./jpen --api PORT ...}). Waits a few seconds for the first snapshot so a
     * wrong address or token is reported on the start page rather than as an empty window; once attached, the
     * console keeps reconnecting by itself when the remote goes away.
     */
    public static Session attach(String url, String token) {
        URI base = apiAddress(url);
        return new Session("attach", firstSnapshot(new RemoteConsole(base, token)), List.of());
    }

    /**
     * Attaches over SSH ({@code ssh://[user@]host[:port][?api=…&token-file=…]}) with the system's ssh client:
     * logs in, reads the remote token there, forwards to the remote API on its loopback. An unknown host key goes
     * to {@code question}. Blocking: call off the FX thread.
     */
    public static Session attachSsh(String address, SshClient ssh, HostKeyQuestion question) {
        return new Session("ssh", firstSnapshot(SshConsole.open(SshTarget.parse(address), ssh, question)), List.of());
    }

    /** Opens one balancer of the command line: an attach waits for its first snapshot. Blocking: call off the FX thread. */
    public static Session open(BalancerSpec b, SshClient ssh, HostKeyQuestion question) {
        return switch (b.kind()) {
            case DEMO -> demo();
            case LOCAL -> local(b.penArgs());
            case ATTACH -> b.ssh() ? attachSsh(b.address(), ssh, question) : attach(b.address(), token(b));
        };
    }

    /**
     * Opens one balancer of a fleet. An attach fails only when it cannot be made at all (a bad address, an SSH
     * login refused, a host key not trusted); a balancer that does not answer yet stays, out of contact, and is
     * retried by its console like one that went away. Blocking: call off the FX thread.
     */
    public static Session openInFleet(BalancerSpec b, SshClient ssh, HostKeyQuestion question) {
        if (b.kind() != BalancerSpec.Kind.ATTACH) return open(b, ssh, question);
        if (b.ssh()) return new Session("ssh", SshConsole.open(SshTarget.parse(b.address()), ssh, question), List.of());
        return new Session("attach", new RemoteConsole(apiAddress(b.address()), token(b)), List.of());
    }

    private static String token(BalancerSpec b) {
        return b.token() != null ? b.token() : b.tokenFile() == null ? null : readToken(b.tokenFile());
    }

    private static String readToken(java.nio.file.Path file) {
        try {
            return io.jpen.core.api.ApiToken.read(file);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Waits a few seconds for the first snapshot, so a wrong address or token is reported where the user asked
     * rather than as an empty window; once attached, the console keeps reconnecting by itself.
     */
    private static Console firstSnapshot(Console console) {
        long deadline = System.nanoTime() + ATTACH_WAIT.toNanos();
        while (console.latest() == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (console.latest() == null) {
            String why = console.lastError();
            console.close();
            throw new IllegalStateException("cannot attach to " + console.target() + ": " + why);
        }
        return console;
    }

    /** As {@link #attach(String, String)}, and remembers {@code url} among the recent targets once attached. */
    public static Session attach(String url, String token, RecentTargets recent) {
        Session s = attach(url, token);
        recent.remember(url.strip());
        return s;
    }

    /**
     * As typed on the start page: an {@code ssh://} address attaches over SSH (a token typed there is refused:
     * the token is read on the remote host), anything else by the API's URL; remembered once attached.
     */
    public static Session attach(String address, String token, RecentTargets recent, SshClient ssh, HostKeyQuestion question) {
        if (!SshTarget.isSsh(address)) return attach(address, token, recent);
        if (token != null && !token.isBlank()) {
            throw new IllegalArgumentException("no token with " + address.strip() + ": over SSH the token is read on the remote host"
                    + " (another path there: ?token-file=PATH)");
        }
        Session s = attachSsh(address.strip(), ssh, question);
        recent.remember(address.strip());
        return s;
    }

    static final java.time.Duration ATTACH_WAIT = java.time.Duration.ofSeconds(6);

    /** {@code http://host:port} or {@code https://...}; a bare {@code host:port} means http. */
    static URI apiAddress(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("enter the address of a jpen API, e.g. http://127.0.0.1:9090");
        String u = url.strip();
        if (!u.contains("://")) u = "http://" + u;
        URI uri;
        try {
            uri = new URI(u);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not an address: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("'" + url + "': the API is reached over http or https, not " + uri.getScheme());
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("'" + url + "': give host and port, e.g. http://127.0.0.1:9090");
        }
        return uri;
    }

    /** A console on a running engine (tests, embedding). The caller keeps owning the engine. */
    public static Session of(String kind, Console console) {
        return new Session(kind, console, List.of());
    }

    /** A port on loopback where nothing listens right now. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void closeAll(List<AutoCloseable> owned) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception ignored) {
                // best effort while failing
            }
        }
    }
}
