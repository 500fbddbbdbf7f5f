package io.jpen.core.control;

import io.jpen.core.engine.EngineState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A config file: penctl commands, one per line, {@code #} comments and blank lines allowed ({@code -F},
 * {@code include}, SIGHUP). It is applied whole or not at all: every line is parsed before anything runs, and if a
 * command fails while running, everything before it is rolled back. Errors read {@code file:line: reason}.
 */
public final class ConfigFile {
    /** Includes nest at most this deep, so a file that includes itself fails instead of looping. */
    static final int MAX_DEPTH = 16;
    private static final ThreadLocal<Integer> depth = ThreadLocal.withInitial(() -> 0);

    /** One parsed line. */
    public record Line(Path file, int number, String text, Command command) {
        String where() {
            return file + ":" + number;
        }
    }

    private ConfigFile() {}

    /** Reads and parses every line; the first bad one fails the whole file with {@code file:line: reason}. */
    public static List<Line> parse(Path file) {
        List<String> texts;
        try {
            texts = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + describe(e));
        }
        List<Line> lines = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            try {
                lines.add(new Line(file, i + 1, text, CommandParser.parse(text)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return lines;
    }

    /** A command that reads, parses and applies {@code file} when it runs (what {@code include} and HUP use). */
    public static Command command(Path file) {
        return state -> apply(file, state);
    }

    /** Parses and applies {@code file}: all of it, or (throwing {@code file:line: reason}) none of it. */
    public static Reply apply(Path file, EngineState state) {
        int d = depth.get();
        if (d >= MAX_DEPTH) throw new IllegalArgumentException(file + ": includes nest deeper than " + MAX_DEPTH);
        depth.set(d + 1);
        try {
            return apply(parse(file), state);
        } finally {
            depth.set(d);
        }
    }

    /** Applies parsed lines in order as one transaction. Replies of the lines are not passed on, as in Pen. */
    public static Reply apply(List<Line> lines, EngineState state) {
        Transaction tx = new Transaction(state);
        for (Line line : lines) {
            Reply r;
            try {
                r = line.command().apply(tx);
            } catch (IllegalArgumentException e) {
                tx.rollback();
                throw new IllegalArgumentException(prefixed(line, e.getMessage()));
            } catch (RuntimeException e) {
                tx.rollback();
                throw new IllegalArgumentException(prefixed(line, String.valueOf(e)));
            }
            if (!r.ok()) {
                tx.rollback();
                throw new IllegalArgumentException(prefixed(line, r.text()));
            }
        }
        return Reply.EMPTY;
    }

    /**
     * Several commands as one, all or nothing: if one is refused, every change before it is undone (the API's
     * structured changes, which may name several commands).
     */
    public static Command together(List<Command> commands) {
        List<Command> all = List.copyOf(commands);
        return state -> {
            Transaction tx = new Transaction(state);
            StringBuilder replies = new StringBuilder();
            for (Command c : all) {
                Reply r;
                try {
                    r = c.apply(tx);
                } catch (RuntimeException e) {
                    tx.rollback();
                    throw e;
                }
                if (!r.ok()) {
                    tx.rollback();
                    throw new IllegalArgumentException(r.text());
                }
                replies.append(r.text());
            }
            return Reply.ok(replies.toString());
        };
    }

    /** A nested include's error already names its own file and line; it is reported under the include line. */
    private static String prefixed(Line line, String message) {
        return line.where() + ": " + message;
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
