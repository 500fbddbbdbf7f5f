package io.jpen.core.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file in one step, so a reader (a browser, a reload) never sees half of it, and a crash leaves the old
 * file or the new one, never an empty one. The file keeps the mode it had; a new one gets the mode the umask gives
 * (0644 under 022), as a file written by any Unix command does, so the web server meant to serve a status page can
 * read it.
 */
final class AtomicFile {
    private AtomicFile() {}

    /**
     * Writes {@code text} to a temporary file beside {@code file}, syncs it, moves it into place and syncs the
     * directory. A missing directory is reported as such (not as the temporary file's name).
     */
    static void write(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such directory");
        Set<PosixFilePermission> mode = Files.exists(abs) ? Files.getPosixFilePermissions(abs) : null;
        Path tmp = createBeside(abs);
        try {
            if (mode != null) Files.setPosixFilePermissions(tmp, mode); // before the content is in it
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
                while (bytes.hasRemaining()) ch.write(bytes);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself reaches the disk
        } catch (IOException ignored) {
            // a file system that cannot sync a directory: the file is in place all the same
        }
    }

    /**
     * A new, empty temporary file next to {@code file}, created without explicit permissions so the umask decides
     * (Files.createTempFile would make it rw------- whatever the umask says, and the rename would keep that).
     */
    private static Path createBeside(Path file) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) throw e;
            }
        }
    }
}
