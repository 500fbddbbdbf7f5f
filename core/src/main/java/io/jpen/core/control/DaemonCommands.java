package io.jpen.core.control;

import io.jpen.core.engine.AccessLog;
import io.jpen.core.engine.Command;
import io.jpen.core.engine.EngineState;
import io.jpen.core.model.Addresses;
import io.jpen.core.model.Reply;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The commands about the process around the engine and the files it writes: {@code control}, {@code pid},
 * {@code status}, {@code log}, {@code web_stats}, {@code include}, {@code write}, {@code exit}. A file a line names
 * is checked against the caller's {@link FileRoots} when the line is parsed.
 */
final class DaemonCommands {
    private final Daemon daemon;
    private final FileRoots files;

    DaemonCommands(Daemon daemon, FileRoots files) {
        this.daemon = daemon;
        this.files = files;
    }

    Command control() {
        return state -> Reply.ok(line(daemon.control()));
    }

    Command pid() {
        return state -> Reply.ok(daemon.pid() + "\n");
    }

    Reply status(EngineState state) {
        String html = StatusPage.render(state);
        Path file = daemon.statusFile();
        if (file != null) StatusPage.writeTo(file, html);
        return Reply.ok(html);
    }

    private static String line(Object value) {
        return value == null ? "" : value + "\n";
    }

    Command log(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("log takes at most one file name");
        if (w.length == 1) return state -> Reply.ok(line(state.accessLog().destination()));
        String destination = w[1]; // a file, or penlogd's host:port (AccessLog tells them apart as Pen does)
        // A file is held to the directories remote commands may use; penlogd's address names no file.
        if (!AccessLog.network(destination)) files.forWriting("log", path("log", destination));
        Command open = state -> openLog(state, destination);
        if (!AccessLog.network(destination)) return open;
        try {
            return new LookedUpFirst(Addresses.hostPort(destination).host(), open);
        } catch (IllegalArgumentException notAnAddress) {
            return open; // opening it says what is wrong
        }
    }

    static Reply openLog(EngineState state, String destination) {
        AccessLog accessLog = state.accessLog();
        String before = accessLog.destination();
        accessLog.open(destination);
        state.onRollback(() -> accessLog.open(before));
        return Reply.ok(line(destination));
    }

    Command webStats(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("web_stats takes at most one file name");
        if (w.length == 1) return state -> Reply.ok(line(daemon.statusFile()));
        Path file = files.forWriting("web_stats", path("web_stats", w[1]));
        return state -> statusFile(state, file);
    }

    Reply statusFile(EngineState state, Path file) {
        Path before = daemon.statusFile();
        daemon.statusFile(file);
        state.onRollback(() -> daemon.statusFile(before));
        return Reply.ok(line(file));
    }

    Command include(String[] w, CommandParser parser) {
        if (w.length != 2) throw new IllegalArgumentException("include takes one file name");
        Path file = files.forReading("include", path("include", w[1]));
        return ConfigFile.include(file, parser, files.restricted());
    }

    Command write(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("write takes at most one file name");
        // Without a name it writes the -F file, which the operator named.
        Path named = w.length == 2 ? files.forWriting("write", path("write", w[1])) : null;
        return state -> {
            Path file = named != null ? named : daemon.configFile();
            if (file == null) throw new IllegalArgumentException("write: no file named and jpen was started without -F");
            String text = ConfigWriter.write(state, daemon); // what the state is now, under the lock
            state.afterLock(() -> {
                try {
                    AtomicFile.write(file, text);
                } catch (IOException e) {
                    throw new IllegalArgumentException("write: cannot write " + file + ": " + e.getMessage());
                }
            });
            return Reply.EMPTY;
        };
    }

    static Path path(String command, String text) {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(command + ": not a file name");
        }
    }

    Reply exit(EngineState state) {
        if (!daemon.exitEnabled()) throw new IllegalArgumentException("Exit is not enabled; restart with -X flag");
        daemon.requestExit();
        return Reply.EMPTY;
    }
}
