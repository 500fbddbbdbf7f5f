package io.jpen.core.control;

import io.jpen.core.engine.Command;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Origin;
import io.jpen.core.model.Reply;

import java.nio.file.Path;

/**
 * The one door for Pen's command language: every front end that has a line of text (the control port, the
 * {@code -F} file and HUP, {@code -O}, the API, the in-process console) hands it to {@link #execute(String, Origin)}, which
 * parses it, does what may wait (files, name lookups) before the engine's command lock and applies it under the
 * lock ({@link Engine#execute}). A line the parser refuses is a refused {@link Reply}, as Pen answers it.
 *
 * <p>A door is for one engine and the {@link Daemon} around it (control port, -F file, status file, exit), and
 * for one kind of caller: the operator's door ({@link #Penctl(Engine, Daemon)}) lets a line name any file; its
 * {@link #remote()} twin, for the control port and the API, only files in the daemon's directories.
 */
public final class Penctl {
    /** The kind of event an operator's action is recorded as (docs/architecture.md lists the kinds). */
    public static final String ACTION = "action";

    private final Engine engine;
    private final Daemon daemon;
    private final boolean remote;

    /** The operator's door on an engine with nothing around it yet (an embedded engine, the console's own). */
    public Penctl(Engine engine) {
        this(engine, new Daemon());
    }

    /** The operator's door on {@code engine}, run in the process {@code daemon} describes. */
    public Penctl(Engine engine, Daemon daemon) {
        this(engine, daemon, false);
    }

    private Penctl(Engine engine, Daemon daemon, boolean remote) {
        this.engine = java.util.Objects.requireNonNull(engine);
        this.daemon = java.util.Objects.requireNonNull(daemon);
        this.remote = remote;
    }

    /**
     * The same door for lines from the control port and the API: files they name must lie in the daemon's
     * directories ({@link Daemon#fileRoots()}, read at each line).
     */
    public Penctl remote() {
        return remote ? this : new Penctl(engine, daemon, true);
    }

    public Engine engine() {
        return engine;
    }

    public Daemon daemon() {
        return daemon;
    }

    /**
     * Parses {@code line}, prepares it before the command lock and applies it under the lock; records it in the
     * engine's event log as an action from {@code origin}, with the reply in words.
     */
    public Reply execute(String line, Origin origin) {
        Reply reply;
        try {
            reply = engine.execute(parse(line));
        } catch (IllegalArgumentException e) {
            reply = Reply.error(e.getMessage());
        }
        String what = line == null ? "" : line.strip();
        if (!what.isEmpty() && !what.startsWith("#")) record(origin, what, reply);
        return reply;
    }

    /** A line from a program that embeds the engine and its console: the console's action. */
    public Reply execute(String line) {
        return execute(line, Origin.CONSOLE);
    }

    /** Work of the door's own, not an operator's action (the status file HUP refreshes): not recorded. */
    public Reply execute(Command command) {
        return engine.execute(command);
    }

    /**
     * A command built from parsed lines elsewhere (the API's all-or-nothing changes), through the same lock;
     * {@code what} says in words what it does, for the event log.
     */
    public Reply execute(Command command, Origin origin, String what) {
        Reply reply = engine.execute(command);
        record(origin, what, reply);
        return reply;
    }

    /** {@code -F} at start ({@link Origin#CONFIG}) and on HUP: reads, parses and applies {@code file}, all of it or (refused) none. */
    public Reply load(Path file, Origin origin) {
        return execute(ConfigFile.command(file, parser()), origin, "file " + file);
    }

    /** {@code -F} at start: as {@link #load(Path, Origin)} from {@link Origin#CONFIG}. */
    public Reply load(Path file) {
        return load(file, Origin.CONFIG);
    }

    /**
     * The event of kind {@link #ACTION}: {@code ORIGIN: WHAT -> ok} or {@code ORIGIN: WHAT -> error: WHY}, one line.
     */
    private void record(Origin origin, String what, Reply reply) {
        String outcome = reply.ok() ? "ok" : "error: " + firstLine(reply.text());
        engine.events().add(ACTION, origin.word() + ": " + what + " -> " + outcome);
    }

    private static String firstLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip() + " ...";
    }

    /** What {@code line} means, without running it; throws {@link IllegalArgumentException} naming what is wrong. */
    public Command parse(String line) {
        return parser().parse(line);
    }

    private CommandParser parser() {
        return new CommandParser(daemon, remote ? daemon.fileRoots() : FileRoots.ANY);
    }
}
