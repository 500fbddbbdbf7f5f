package io.jpen.core.control;

import io.jpen.core.engine.Engine;
import io.jpen.core.model.Endpoint;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client of the control port can make jpen read or write: only regular files in the directories the operator
 * named (here {@code allowed}), never a file elsewhere (as root that was {@code include /etc/shadow}, whose error
 * showed its first line, and {@code write /any/path}), and a refused include never quotes the file.
 */
@Timeout(60)
class RemoteFilesTest {
    private static final String SECRET = "root:$6$s3cr3tHash:19000:0:99999:7:::";

    @TempDir
    Path allowed;
    @TempDir
    Path elsewhere;
    @RegisterExtension
    final Resources resources = new Resources();
    private Engine engine;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Backend b = resources.keep(Backend.echo("b"));
        engine = resources.keep(Engines.start(s -> s, b));
        Engines.penctl(engine).daemon().fileRoots(FileRoots.of(List.of(allowed)));
        port = resources.keep(ControlServer.start(Engines.penctl(engine), new Endpoint.Tcp("127.0.0.1", 0), null)).port();
    }

    private String send(String command) {
        return ControlClient.send(port, command);
    }

    @Test
    void includeReadsNoFileOutsideTheNamedDirectoriesAndNeverQuotesOne() throws Exception {
        Path shadow = Files.writeString(elsewhere.resolve("shadow"), SECRET + "\n");
        assertThat(send("include " + shadow)).startsWith("include: " + shadow + " is outside the directories")
                .doesNotContain("s3cr3t");
        assertThat(send("include " + allowed.resolve("../" + elsewhere.getFileName() + "/shadow")))
                .contains("is outside the directories").doesNotContain("s3cr3t");
        Path link = Files.createSymbolicLink(allowed.resolve("innocent.conf"), shadow);
        assertThat(send("include " + link)).isEqualTo("include: " + link + " leads out of the directories remote"
                + " commands may use (" + allowed + "; more with --file-dir)\n");

        // Even a file it may read is named by line only when a line is refused: its text is not the client's to see.
        Path copy = Files.writeString(allowed.resolve("copy.conf"), "timeout 7\n" + SECRET + "\n");
        assertThat(send("include " + copy)).isEqualTo("include " + copy + ": " + copy
                + ":2: refused, nothing applied (the reason is in jpen's log)\n");
        assertThat(engine.settings().timeoutSeconds()).isEqualTo(3);
    }

    @Test
    void writeLogAndWebStatsReplaceNoFileOutsideTheNamedDirectories() throws Exception {
        Path victim = Files.writeString(elsewhere.resolve("victim"), "original\n");
        for (String command : new String[]{"write", "log", "web_stats"}) {
            assertThat(send(command + " " + victim)).as(command).startsWith(command + ": " + victim + " is outside");
        }
        Path link = Files.createSymbolicLink(allowed.resolve("status.html"), victim);
        assertThat(send("web_stats " + link)).startsWith("web_stats: " + link + " leads out of");
        assertThat(send("log " + link)).startsWith("log: " + link + " leads out of");
        assertThat(send("status")).startsWith("<!DOCTYPE html>");
        assertThat(Files.readString(victim)).isEqualTo("original\n");
        assertThat(engine.accessLog().path()).isNull();
        assertThat(Engines.penctl(engine).daemon().statusFile()).isNull();

        // Inside, the same commands work.
        Path conf = allowed.resolve("saved.conf");
        assertThat(send("write " + conf)).isEmpty();
        assertThat(Files.readString(conf)).contains("timeout 3");
        assertThat(send("log " + allowed.resolve("access.log"))).isEqualTo(allowed.resolve("access.log") + "\n");
    }

    @Test
    void aFifoOrADirectoryIsNeverOpened() throws Exception {
        Path fifo = allowed.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        for (String command : new String[]{"include", "write", "log", "web_stats", "ssl_certificate", "ssl_key", "ssl_ca_file"}) {
            assertThat(send(command + " " + fifo)).as(command).isEqualTo(command + ": " + fifo + " is not a regular file\n");
        }
        Files.createDirectory(allowed.resolve("sub"));
        assertThat(send("include " + allowed.resolve("sub"))).isEqualTo("include: " + allowed.resolve("sub") + " is not a regular file\n");
        assertThat(send("servers")).startsWith("0 addr 127.0.0.1");
        // The operator's own files are held to the same (a HUP re-reading a -F file that became a FIFO).
        assertThat(Engines.penctl(engine).load(fifo).text())
                .isEqualTo(fifo + ": not a regular file (jpen reads no FIFO, device or directory)");
    }

    @Test
    void withoutNamedDirectoriesTheControlPortNamesNoFileAtAll() throws Exception {
        Engines.penctl(engine).daemon().fileRoots(FileRoots.NONE);
        Path conf = Files.writeString(allowed.resolve("x.conf"), "timeout 5\n");
        assertThat(send("include " + conf)).isEqualTo("include: commands from the control port or the API may not"
                + " name files: jpen was started without -F or --file-dir\n");
        assertThat(send("write")).isEqualTo("write: no file named and jpen was started without -F\n");
        assertThat(engine.settings().timeoutSeconds()).isEqualTo(3);
    }
}
