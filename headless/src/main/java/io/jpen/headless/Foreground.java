package io.jpen.headless;

import io.jpen.core.cli.PenOptions;
import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiServer;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.control.Daemon;
import io.jpen.core.control.Penctl;
import io.jpen.core.model.Origin;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.logging.LogbackLevels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * jpen's process: runs one engine in the foreground (validate, start, write the pid file, wait for TERM or INT,
 * stop cleanly), with the {@link Daemon} around it that the control layer's commands see.
 */
final class Foreground {
    private final PenOptions options;
    private final ApiOptions apiOptions;
    private final Signals signals;

    Foreground(PenOptions options, ApiOptions apiOptions, Signals signals) {
        this.options = options;
        this.apiOptions = apiOptions;
        this.signals = signals;
    }

    int run() {
        Logger log = LoggerFactory.getLogger("jpen");
        String refused = RootCheck.refusal(options, RootCheck.runningAsRoot());
        if (refused != null) {
            System.err.println("jpen: " + refused);
            return 2;
        }
        if (options.user != null) log.warn("-u {} ignored: run jpen under the user you want (systemd User=)", options.user);
        if (options.chroot != null) log.warn("-j {} ignored: use systemd's RootDirectory= for a chroot", options.chroot);
        if (options.pollChoice) log.warn("-P/-Q ignored: jpen chooses its event loop itself (--transport)");
        if (options.tlsCompat) log.warn("-Z ignored: the JDK's TLS has no counterpart of OpenSSL's bug workarounds");

        Engine engine;
        int grace;
        try {
            grace = options.stopGraceSeconds();
            // Building the engine reads the TLS files too, so a bad certificate stops jpen here with its name.
            engine = new Engine(options.toEngineOptions(InstantSource.system()), new LogbackLevels());
        } catch (IllegalArgumentException e) {
            System.err.println("jpen: " + e.getMessage());
            return 2;
        }
        ApiConfig apiConfig;
        try {
            apiConfig = apiOptions.config(System.getenv(), System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("jpen: " + e.getMessage());
            return 2;
        }
        Penctl penctl = new Penctl(engine, new Daemon());
        for (String command : options.commands) {
            Reply r = penctl.execute(command, Origin.CONFIG); // -O: the command line's config
            if (!r.ok()) {
                System.err.println("jpen: -O '" + command + "': " + r.text());
                return 2;
            }
        }
        ControlPlane control;
        try {
            control = ControlPlane.prepare(options, penctl, signals::stopNow);
            // Without a listen address or servers on the command line, the -F file must have given them.
            if (engine.listenEndpoint() == PenOptions.LISTEN_FROM_CONFIG) {
                throw new IllegalArgumentException("no listen address: give [host:]port on the command line or a 'listen' line in "
                        + options.configFile);
            }
            if (engine.servers().isEmpty()) {
                throw new IllegalArgumentException("no servers: give them on the command line or as 'server N address A port P' lines in "
                        + options.configFile);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jpen: " + e.getMessage());
            engine.accessLog().close(); // -l may have opened it
            return 2;
        }
        try {
            engine.start();
            control.start(signals);
        } catch (RuntimeException e) {
            System.err.println("jpen: " + e.getMessage());
            control.close();
            engine.close();
            return 1;
        }
        LocalConsole console = null;
        ApiServer api = null;
        if (apiConfig != null) {
            console = new LocalConsole(penctl);
            try {
                api = ApiOptions.start(console, apiConfig, System.err);
            } catch (RuntimeException e) {
                System.err.println("jpen: " + e.getMessage());
                console.close();
                control.close();
                engine.close();
                return 1;
            }
        }
        Path pid = options.pidFile == null ? null : Path.of(options.pidFile);
        try {
            if (pid != null) {
                // Written beside it and renamed into place: whoever sees the file (systemd, a script, kill $(cat ..))
                // never reads it empty or half written.
                Path tmp = pid.resolveSibling(pid.getFileName() + ".tmp");
                Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
                Files.move(tmp, pid, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            System.err.println("jpen: cannot write pid file " + pid + ": " + e.getMessage());
            if (api != null) api.close();
            if (console != null) console.close();
            control.close();
            engine.close();
            return 1;
        }

        try {
            signals.awaitStop();
            drain(engine, grace, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("shutting down");
        if (api != null) api.close();
        if (console != null) console.close();
        control.close();
        engine.close();
        if (pid != null) {
            try {
                Files.deleteIfExists(pid);
            } catch (IOException ignored) {
                // the pid file is advisory; a stale one is overwritten at the next start
            }
        }
        return 0;
    }

    /**
     * A graceful stop, like HAProxy's soft stop with hard-stop-after: no new connections, and those open get up to
     * {@code grace} seconds to finish by themselves; a second TERM or {@code exit} cuts it short. Whatever is left
     * is then reset by {@link Engine#close}, so a cut-off transfer never looks complete. UDP streams have no end
     * to wait for and stop at once.
     */
    private void drain(Engine engine, int grace, Logger log) throws InterruptedException {
        if (signals.stopNowRequested() || engine.protocol() == io.jpen.core.engine.Protocol.UDP) return;
        engine.stopAccepting();
        long deadline = System.nanoTime() + grace * 1_000_000_000L;
        int left = engine.connections().size();
        if (left > 0) log.info("stopping: {} connections get up to {} s to finish (TERM again to stop now)", left, grace);
        while (engine.connections().size() > 0) {
            long wait = Math.min(100, (deadline - System.nanoTime()) / 1_000_000);
            if (wait <= 0 || signals.awaitStopNow(wait)) return;
        }
    }
}
