package io.jpen.core.control;

import io.jpen.core.engine.Engine;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The files jpen writes (write, the -w status page) get the mode any Unix command would give them. */
@Timeout(30)
class WrittenFileModesTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final Resources resources = new Resources();

    /** The mode this process's umask gives a new file (0644 under 022), seen through stat as an operator would. */
    private String umaskMode() throws Exception {
        Path reference = Files.createFile(dir.resolve("reference"));
        String mode = stat(reference);
        assumeTrue(Files.getPosixFilePermissions(reference).contains(PosixFilePermission.OTHERS_READ),
                "the umask (" + mode + " for a new file) hides files from others: nothing to tell apart");
        return mode;
    }

    private static String stat(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%a", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private Engine engine() {
        return resources.keep(Engines.start(s -> s));
    }

    @Test
    void aNewConfigFileAndANewStatusPageGetTheModeTheUmaskGives() throws Exception {
        String expected = umaskMode();
        Engine e = engine();
        Path conf = dir.resolve("jpen.conf");
        assertThat(Engines.penctl(e).execute("write " + conf).ok()).isTrue();
        assertThat(stat(conf)).isEqualTo(expected);
        Path page = dir.resolve("status.html");
        assertThat(Engines.penctl(e).execute("web_stats " + page).ok()).isTrue();
        assertThat(Engines.penctl(e).execute("status").ok()).isTrue();
        assertThat(Files.readString(page)).contains("<html");
        assertThat(stat(page)).isEqualTo(expected);
        // Nothing left behind but the files themselves.
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("reference", "jpen.conf", "status.html");
        }
    }

    @Test
    void anExistingFileKeepsItsMode() throws Exception {
        Engine e = engine();
        Path conf = Files.writeString(dir.resolve("jpen.conf"), "old\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(Engines.penctl(e).execute("write " + conf).ok()).isTrue();
        assertThat(Files.readString(conf)).doesNotContain("old");
        assertThat(stat(conf)).isEqualTo("640");
        Path page = Files.writeString(dir.resolve("status.html"), "old");
        Files.setPosixFilePermissions(page, PosixFilePermissions.fromString("rw-rw-r--"));
        Engines.penctl(e).execute("web_stats " + page);
        Engines.penctl(e).execute("status");
        assertThat(stat(page)).isEqualTo("664");
        assertThat(Files.getPosixFilePermissions(page)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ));
    }

    @Test
    void theFileIsSyncedBeforeItsRenameAndTheDirectoryAfter() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is not installed");
        Path file = dir.resolve("synced.conf");
        Process p = new ProcessBuilder("strace", "-f", "-y", "-e", "trace=fsync,fdatasync,rename",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                WriteOneFile.class.getName(), file.toString()).redirectErrorStream(true).start();
        String trace = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(!trace.contains("Operation not permitted"), "strace may not trace here: " + trace);
        assertThat(p.waitFor()).as(trace).isZero();
        String calls = trace.lines().filter(l -> l.matches(".*(fsync|fdatasync|rename)\\(.*= 0$"))
                .map(l -> l.replaceAll("^\\[pid +\\d+\\] ", "").replaceAll("\\(\\d+<", "(<").replaceAll("\\.synced\\.conf\\.[0-9a-f]+\\.tmp", "TMP"))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(calls).isEqualTo("fsync(<" + dir.resolve("TMP") + ">) = 0\n"
                + "rename(\"" + dir.resolve("TMP") + "\", \"" + file + "\") = 0\n"
                + "fsync(<" + dir + ">) = 0\n");
    }

    /** Writes one file with AtomicFile and exits: the process strace watches. */
    static final class WriteOneFile {
        public static void main(String[] args) throws Exception {
            AtomicFile.write(Path.of(args[0]), "synced\n");
        }
    }

    @Test
    void writeIntoAMissingDirectoryNamesTheDirectory() {
        Engine e = engine();
        Path missing = dir.resolve("no-such-dir");
        var reply = Engines.penctl(e).execute("write " + missing.resolve("jpen.conf"));
        assertThat(reply.ok()).isFalse();
        assertThat(reply.text()).isEqualTo("write: cannot write " + missing.resolve("jpen.conf") + ": " + missing
                + ": no such directory");
    }
}
