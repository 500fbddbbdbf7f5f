package io.jpen.core.control;

import io.jpen.core.engine.Command;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.EngineState;
import io.jpen.core.engine.NameLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A config file: penctl commands, one per line, {@code #} comments and blank lines allowed ({@code -F},
 * {@code include}, SIGHUP). It is applied whole or not at all: every line is parsed before anything runs, and if a
 * command fails while running, everything before it is rolled back. Errors read {@code file:line: reason}.
 *
 * <p>Only a regular file of at most {@link #MAX_BYTES} is read (a FIFO would block the reader for good), and it is
 * read before the command lock is taken ({@link Command#prepare}), so a slow disk holds up nobody else.
 */
public final class ConfigFile {
    private static final Logger log = LoggerFactory.getLogger(ConfigFile.class);
    /** Includes nest at most this deep, so a file that includes itself fails instead of looping. */
    static final int MAX_DEPTH = 16;
    /** Largest config file read; a command is one short line, and Pen's own files are a few KiB. */
    static final int MAX_BYTES = 1 << 20;
    private static final ThreadLocal<Integer> depth = ThreadLocal.withInitial(() -> 0);

    /** One parsed line. */
    public record Line(Path file, int number, String text, Command command) {
        String where() {
            return file + ":" + number;
        }
    }

    /** A line that was refused, parsing or running; {@link #detail} may quote the line. */
    static final class LineRejected extends IllegalArgumentException {
        private final String where;

        LineRejected(String where, String detail) {
            super(where + ": " + detail);
            this.where = where;
        }

        String where() {
            return where;
        }
    }

    private ConfigFile() {}

    /** Reads and parses every line; the first bad one fails the whole file with {@code file:line: reason}. */
    public static List<Line> parse(Path file, CommandParser parser) {
        List<String> texts = read(file).lines().toList();
        List<Line> lines = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            try {
                lines.add(new Line(file, i + 1, text, parser.parse(text)));
            } catch (IllegalArgumentException e) {
                throw new LineRejected(file + ":" + (i + 1), e.getMessage());
            }
        }
        return lines;
    }

    /** The file's text: a regular file (links followed) of at most MAX_BYTES, read to the end. */
    private static String read(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new IllegalArgumentException(file + ": not a regular file (jpen reads no FIFO, device or directory)");
            }
            if (a.size() > MAX_BYTES) throw new IllegalArgumentException(file + ": larger than " + MAX_BYTES + " bytes");
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1); // it may have grown since
            }
            if (bytes.length > MAX_BYTES) throw new IllegalArgumentException(file + ": larger than " + MAX_BYTES + " bytes");
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + describe(e));
        }
    }

    /**
     * A command that reads, parses (with {@code parser}) and applies {@code file} (what {@code -F} and HUP use):
     * reading is its prepare.
     */
    public static Command command(Path file, CommandParser parser) {
        return new Include(file, parser, false, null);
    }

    /**
     * {@code include FILE}. With {@code remote} (the control port, the API) a refused line is answered with its file
     * and number only, never with its text or a reason that may quote it, since the file may not be the client's to
     * read: the reason goes to jpen's log.
     */
    static Command include(Path file, CommandParser parser, boolean remote) {
        return new Include(file, parser, remote, null);
    }

    private record Include(Path file, CommandParser parser, boolean remote, List<Line> lines) implements Command {
        @Override
        public Command prepare(NameLookup names) {
            if (lines != null) return this;
            return redacted(() -> nested(() -> {
                List<Line> parsed = parse(file, parser);
                List<Line> ready = new ArrayList<>(parsed.size());
                for (Line l : parsed) {
                    try {
                        ready.add(new Line(l.file(), l.number(), l.text(), l.command().prepare(names)));
                    } catch (IllegalArgumentException e) {
                        throw new LineRejected(l.where(), e.getMessage());
                    }
                }
                return new Include(file, parser, remote, ready);
            }));
        }

        @Override
        public Reply apply(EngineState state) {
            return redacted(() -> lines != null ? ConfigFile.apply(lines, state) : nested(() -> ConfigFile.apply(parse(file, parser), state)));
        }

        private <T> T redacted(java.util.function.Supplier<T> work) {
            try {
                return work.get();
            } catch (LineRejected e) {
                if (!remote) throw e;
                log.warn("include {} (from the control port or the API) refused: {}", file, e.getMessage());
                throw new IllegalArgumentException("include " + file + ": " + e.where()
                        + ": refused, nothing applied (the reason is in jpen's log)");
            }
        }
    }

    /** Runs {@code work} one include level deeper; a file that includes itself stops at MAX_DEPTH. */
    private static <T> T nested(java.util.function.Supplier<T> work) {
        int d = depth.get();
        if (d >= MAX_DEPTH) throw new IllegalArgumentException("includes nest deeper than " + MAX_DEPTH);
        depth.set(d + 1);
        try {
            return work.get();
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
                throw new LineRejected(line.where(), e.getMessage());
            } catch (RuntimeException e) {
                tx.rollback();
                throw new LineRejected(line.where(), String.valueOf(e));
            }
            if (!r.ok()) {
                tx.rollback();
                throw new LineRejected(line.where(), r.text());
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

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
