package io.jpen.gui.app;

import io.jpen.core.control.Penctl;
import io.jpen.core.console.Console;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.api.client.RemoteConsole;
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
                Reply r = penctl.execute(line);
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
        RemoteConsole console = new RemoteConsole(base, token);
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
            throw new IllegalStateException("cannot attach to " + base + ": " + why);
        }
        return new Session("attach", console, List.of());
    }

    /** As {@link #attach(String, String)}, and remembers {@code url} among the recent targets once attached. */
    public static Session attach(String url, String token, RecentTargets recent) {
        Session s = attach(url, token);
        recent.remember(url.strip());
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
