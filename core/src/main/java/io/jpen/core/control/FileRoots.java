package io.jpen.core.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where commands that arrive over the control port or the API may name files ({@code write}, {@code log},
 * {@code web_stats}, {@code include}): only in the directories the operator named when jpen started (the
 * {@code -F} file's directory, and {@code --file-dir}), and only regular files, so a client that may send commands
 * still cannot make jpen read or replace any other file (as root, {@code /etc/shadow}). A path is checked as written
 * and as resolved: a symbolic link out of these directories, a FIFO, a device or a directory is refused. The
 * operator's own commands (command line, {@code -F}, the in-process console) use {@link #ANY}.
 *
 * <p>The check is made when the command is read, the file used when it runs: someone who may create files in one of
 * these directories could swap one in between. Name only directories that other users cannot write to.
 */
public final class FileRoots {
    /** The operator's own commands: any path (the file must still be a regular one to be read as a config). */
    public static final FileRoots ANY = new FileRoots(null, null);
    /** Remote commands when no directory was named: no file at all. */
    public static final FileRoots NONE = new FileRoots(List.of(), List.of());

    /** As given (normalized, absolute) and as resolved, index for index. */
    private final List<Path> given;
    private final List<Path> real;

    private FileRoots(List<Path> given, List<Path> real) {
        this.given = given;
        this.real = real;
    }

    /** The directories remote commands may use; each must exist. Throws naming one that does not. */
    public static FileRoots of(List<Path> dirs) {
        List<Path> given = new ArrayList<>();
        List<Path> real = new ArrayList<>();
        for (Path d : dirs) {
            Path abs = d.toAbsolutePath().normalize();
            try {
                Path r = abs.toRealPath();
                if (!Files.isDirectory(r)) throw new IllegalArgumentException(d + " is not a directory");
                given.add(abs);
                real.add(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("no such directory: " + d);
            }
        }
        return new FileRoots(List.copyOf(given), List.copyOf(real));
    }

    /** Whether paths are checked (commands from the control port or the API). */
    public boolean restricted() {
        return given != null;
    }

    public List<Path> dirs() {
        return given == null ? List.of() : given;
    }

    /** A file {@code command} reads: an existing regular file in one of the directories. Returns {@code file}. */
    public Path forReading(String command, Path file) {
        if (!restricted()) return file;
        Path abs = inside(command, file);
        Path resolved;
        try {
            resolved = abs.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(command + ": " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(command + ": " + file + ": cannot be read");
        }
        if (!under(real, resolved)) throw new IllegalArgumentException(command + ": " + file + " leads out of " + described());
        if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(command + ": " + file + " is not a regular file");
        }
        return file;
    }

    /**
     * A file {@code command} creates or replaces: its directory is one of the directories (or below one), and if it
     * exists it is a regular file, or a link to one that stays inside. Returns {@code file}.
     */
    public Path forWriting(String command, Path file) {
        if (!restricted()) return file;
        Path abs = inside(command, file);
        Path dir;
        try {
            dir = abs.getParent().toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(command + ": " + file + ": no such directory");
        }
        if (!under(real, dir.resolve(abs.getFileName()))) {
            throw new IllegalArgumentException(command + ": " + file + " leads out of " + described());
        }
        Path target = dir.resolve(abs.getFileName());
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException absent) {
            return file; // a new file
        }
        if (a.isSymbolicLink()) {
            try {
                Path resolved = target.toRealPath();
                if (!under(real, resolved)) throw new IllegalArgumentException(command + ": " + file + " leads out of " + described());
                if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalArgumentException(command + ": " + file + " is not a regular file");
                }
            } catch (IOException dangling) {
                throw new IllegalArgumentException(command + ": " + file + " is a link to nothing");
            }
        } else if (!a.isRegularFile()) {
            throw new IllegalArgumentException(command + ": " + file + " is not a regular file");
        }
        return file;
    }

    /**
     * For files read wherever they are (TLS certificates and keys): one that exists must be a regular file, since
     * reading a FIFO would block the command (and the lock it holds) for good. One that does not exist is left to
     * the reader's own error.
     */
    static void notSpecial(String command, Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(command + ": " + file + " is not a regular file");
        }
    }

    /** The path made absolute, if it lies in a directory as written; the error never says whether it exists. */
    private Path inside(String command, Path file) {
        if (given.isEmpty()) {
            throw new IllegalArgumentException(command + ": commands from the control port or the API may not name"
                    + " files: jpen was started without -F or --file-dir");
        }
        Path abs = file.toAbsolutePath().normalize();
        if (abs.getParent() == null || (!under(given, abs) && !under(real, abs))) {
            throw new IllegalArgumentException(command + ": " + file + " is outside " + described());
        }
        return abs;
    }

    private static boolean under(List<Path> dirs, Path p) {
        for (Path d : dirs) {
            if (p.startsWith(d) && !p.equals(d)) return true;
        }
        return false;
    }

    private String described() {
        return "the directories remote commands may use (" + given.stream().map(Path::toString)
                .collect(Collectors.joining(", ")) + "; more with --file-dir)";
    }

    @Override
    public String toString() {
        return given == null ? "any" : given.toString();
    }
}
