package io.jpen.headless;

import io.jpen.core.cli.PenOptions;
import io.jpen.core.control.ControlServer;
import io.jpen.core.control.Daemon;
import io.jpen.core.control.FileRoots;
import io.jpen.core.control.Penctl;
import io.jpen.core.model.Origin;
import io.jpen.core.model.Reply;
import io.jpen.core.control.StatusPage;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The daemon's control side: {@code -C} (control port), {@code -X} (exit), {@code -F} (config file, read after the
 * command line and again on SIGHUP), {@code -l} (access log, reopened on SIGHUP) and {@code -w} (status page).
 */
final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jpen");

    private final Penctl penctl;
    private final Engine engine;
    private final Daemon daemon;
    private final String controlAddress;
    private ControlServer server;

    private ControlPlane(Penctl penctl, String controlAddress) {
        this.penctl = penctl;
        this.engine = penctl.engine();
        this.daemon = penctl.daemon();
        this.controlAddress = controlAddress;
    }

    /**
     * Before the engine starts: opens the log, notes the files, enables exit, and applies the {@code -F} file
     * whole or not at all. Throws with a message for the user ({@code file:line: reason} for a bad config).
     *
     * @param exit what {@code exit} does when {@code -X} is given (stop the daemon)
     */
    static ControlPlane prepare(PenOptions options, Penctl penctl, Runnable exit) {
        ControlPlane plane = new ControlPlane(penctl, options.control);
        Daemon daemon = penctl.daemon();
        if (options.control != null) Addresses.endpoint(options.control); // a bad -C fails before anything starts
        if (options.logFile != null) penctl.engine().accessLog().open(options.logFile);
        if (options.webStats != null) daemon.statusFile(Path.of(options.webStats));
        if (options.exitCommand) daemon.exitAction(exit);
        if (options.configFile != null) {
            Path file = Path.of(options.configFile);
            daemon.configFile(file);
            Reply r = penctl.load(file, Origin.CONFIG);
            if (!r.ok()) throw new IllegalArgumentException(r.text());
        }
        try {
            daemon.fileRoots(FileRoots.of(options.fileDirs()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--file-dir: " + e.getMessage());
        }
        return plane;
    }

    /** After the engine has started: opens the control port and handles SIGHUP. */
    void start(Signals signals) {
        if (controlAddress != null) server = ControlServer.start(penctl, Addresses.endpoint(controlAddress));
        signals.onReload(this::reload);
        if (signals.hupIgnored() && (daemon.configFile() != null || engine.accessLog().enabled() || daemon.statusFile() != null)) {
            log.warn("HUP is ignored in this process (it started with HUP ignored, as under nohup, and Java cannot "
                    + "take such a signal back): a HUP will not re-read the -F file, reopen the -l log or rewrite the "
                    + "-w page. Start it with the jpen command, which takes HUP back, or without nohup");
        }
    }

    /** SIGHUP: reopen the access log, re-read the -F file (a bad file changes nothing), refresh the status file. */
    void reload() {
        try {
            engine.accessLog().reopen();
        } catch (IllegalArgumentException e) {
            log.error("HUP: {}", e.getMessage());
        }
        Path file = daemon.configFile();
        if (file != null) {
            Reply r = penctl.load(file, Origin.HUP);
            if (r.ok()) {
                log.info("HUP: re-read {}", file);
                engine.events().add("reload", "re-read " + file);
            } else {
                log.error("HUP: {} rejected, running state unchanged: {}", file, r.text());
                engine.events().add("reload-failed", r.text());
            }
        }
        Path status = daemon.statusFile();
        if (status != null) {
            Reply r = penctl.execute(state -> {
                StatusPage.writeTo(status, StatusPage.render(state));
                return Reply.EMPTY;
            });
            if (!r.ok()) log.error("HUP: {}", r.text());
        }
    }

    @Override
    public void close() {
        if (server != null) server.close();
    }
}
