package io.jpen.core.control;

import io.jpen.core.model.Endpoint;

import java.nio.file.Path;

/**
 * What surrounds an engine when it runs as a process: its control port, the {@code -F} file, the status file
 * ({@code -w}) and whether {@code exit} is allowed ({@code -X}). The launcher fills it in; commands read it and
 * change the status file under the engine's command lock.
 */
public final class Daemon {
    private volatile Endpoint control;
    private volatile Path configFile;
    private volatile Path statusFile;
    private volatile Runnable exit;
    private volatile FileRoots fileRoots = FileRoots.NONE;

    public long pid() {
        return ProcessHandle.current().pid();
    }

    /** Where the control port listens (as bound, so a port 0 shows the real port), or null when there is none. */
    public Endpoint control() { return control; }
    public void control(Endpoint bound) { this.control = bound; }

    /** The {@code -F} file: what {@code write} without a file name and SIGHUP use; null when none. */
    public Path configFile() { return configFile; }
    public void configFile(Path file) { this.configFile = file; }

    /** The {@code -w} file the status page is written to; null when none. */
    public Path statusFile() { return statusFile; }
    public void statusFile(Path file) { this.statusFile = file; }

    /**
     * Where commands from the control port and the API may name files; none until the launcher names directories
     * (jpen: the -F file's and --file-dir's).
     */
    public FileRoots fileRoots() { return fileRoots; }
    public void fileRoots(FileRoots roots) { this.fileRoots = java.util.Objects.requireNonNull(roots); }

    /**
     * Enables {@code exit} (Pen's -X) with what to do then (stop the engine, end the process); null disables it.
     * The action runs on a thread of its own, so it may stop the engine whose command lock the caller holds.
     */
    public void exitAction(Runnable action) { this.exit = action; }

    public boolean exitEnabled() { return exit != null; }

    /** Starts the exit action; the control connection that asked sees EOF when the process ends. */
    public void requestExit() {
        Runnable action = exit;
        if (action == null) throw new IllegalArgumentException("Exit is not enabled; restart with -X flag");
        Thread t = new Thread(action, "jpen-exit");
        t.start();
    }
}
