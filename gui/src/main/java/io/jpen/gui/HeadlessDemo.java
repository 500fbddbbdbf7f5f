package io.jpen.gui;

import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiServer;
import io.jpen.core.api.ApiToken;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.model.Snapshot;
import io.jpen.gui.app.Session;
import io.jpen.gui.app.Sessions;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo where there is no display: the same in-process balancer, demo servers and load as the console's demo,
 * with the remote API switched on so a console elsewhere can attach, and a line of live figures every few
 * seconds. Runs until TERM or INT (or for {@code seconds}, when positive). Loads no JavaFX class.
 */
public final class HeadlessDemo {
    private HeadlessDemo() {}

    public static int run(PrintStream out, long seconds) {
        Session session = Sessions.demo();
        ApiServer api = null;
        try {
            LocalConsole console = (LocalConsole) session.console();
            Path tokenFile = Files.createTempDirectory("jpen-demo").resolve("api-token");
            ApiToken token = ApiToken.of(ApiToken.loadOrCreate(tokenFile));
            api = new ApiServer(console, ApiConfig.of(0, token)).start();
            out.println("jpen demo (no display, so no window): a balancer at " + console.engine().localAddress()
                    + " in front of three demo servers and a fourth that is dead on purpose (it shows failover), with gentle load.");
            out.println("  try:    curl -s http://127.0.0.1:" + console.engine().port() + "/stream?bytes=100 | wc -c");
            out.println("  attach: ./jpen-console --attach " + api.uri() + " --token-file " + tokenFile);
            out.println("  Ctrl-C stops it.");
            CountDownLatch stop = new CountDownLatch(1);
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> stop.countDown());
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> stop.countDown());
            long deadline = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
            while (!stop.await(3, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
                Snapshot s = console.latest();
                if (s != null) out.println(line(s));
            }
            return 0;
        } catch (Exception e) {
            out.println("jpen demo: " + e.getMessage());
            return 1;
        } finally {
            if (api != null) api.close();
            session.close();
        }
    }

    static String line(Snapshot s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d connections, %.1f new/s, %.0f KB/s down;",
                s.totals().connections(), s.totals().connectionsPerSecond(), s.totals().bytesDownPerSecond() / 1000));
        for (var v : s.servers()) b.append(' ').append(v.index()).append(':').append(v.state()).append('/').append(v.connections());
        return b.toString();
    }
}
