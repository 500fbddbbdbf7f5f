package io.jpen.headless;

import io.jpen.core.cli.PenOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.jpen.headless.JpenProcess.ctl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The control port and root: as root jpen refuses {@code -C} unless {@code --allow-root-control} is given, and
 * refuses {@code -u} (which it cannot honour); with the port open, a client can still read or replace no file
 * outside the -F file's directory (before: {@code include /etc/shadow} answered with its first line).
 */
@Timeout(120)
class RootControlTest {
    @TempDir
    Path dir;

    private static PenOptions options(String... args) {
        Jpen jpen = new Jpen();
        Jpen.commandLine(jpen).parseArgs(args);
        return jpen.options;
    }

    @Test
    void asRootTheControlPortNeedsTheOptInAndMinusUIsRefused() {
        assertThat(RootCheck.refusal(options("-C", "8888", "8080", "127.0.0.1:80"), true))
                .startsWith("won't open the control port running as root").contains("--allow-root-control");
        assertThat(RootCheck.refusal(options("-C", "8888", "--allow-root-control", "8080", "127.0.0.1:80"), true)).isNull();
        assertThat(RootCheck.refusal(options("-u", "pen", "8080", "127.0.0.1:80"), true))
                .startsWith("-u pen: jpen cannot drop root's privileges itself").contains("User=pen");
        assertThat(RootCheck.refusal(options("8080", "127.0.0.1:80"), true)).isNull();
    }

    @Test
    void asAnotherUserTheControlPortOpensAsBefore() {
        assertThat(RootCheck.refusal(options("-C", "8888", "8080", "127.0.0.1:80"), false)).isNull();
        assertThat(RootCheck.refusal(options("-u", "pen", "8080", "127.0.0.1:80"), false)).isNull();
    }

    @Test
    void aRealJpenStartedAsRootWithMinusCRefusesToStart() throws Exception {
        assumeThat(RootCheck.runningAsRoot()).as("needs to run as root").isTrue();
        try (JpenProcess jpen = JpenProcess.start(dir, "-C", "127.0.0.1:" + JpenProcess.freePort(),
                "127.0.0.1:" + JpenProcess.freePort(), "127.0.0.1:9")) {
            assertThat(jpen.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(jpen.process().exitValue()).isEqualTo(2);
            assertThat(jpen.output()).startsWith("jpen: won't open the control port running as root");
        }
    }

    @Test
    void withTheOptInARootJpensControlPortReadsAndReplacesNoFileOutsideItsDirectories() throws Exception {
        assumeThat(RootCheck.runningAsRoot()).as("needs to run as root").isTrue();
        Path confDir = Files.createDirectory(dir.resolve("etc"));
        Path conf = Files.writeString(confDir.resolve("jpen.cfg"), "timeout 4\n");
        Path victim = Files.writeString(dir.resolve("root-owned.txt"), "original\n");
        int control = JpenProcess.freePort();
        try (NameServer backend = new NameServer("backend");
             JpenProcess jpen = JpenProcess.start(dir, "--allow-root-control", "-C", "127.0.0.1:" + control,
                     "-F", conf.toString(), "127.0.0.1:" + JpenProcess.freePort(), "127.0.0.1:" + backend.port())) {
            await().atMost(60, TimeUnit.SECONDS).until(() -> !jpen.process().isAlive() || ctl(control, "timeout") != null);
            assertThat(ctl(control, "timeout")).as(jpen.output()).isEqualTo("4\n");
            assertThat(ctl(control, "include /etc/shadow")).startsWith("include: /etc/shadow is outside").doesNotContain("root:");
            assertThat(ctl(control, "write " + victim)).startsWith("write: " + victim + " is outside");
            assertThat(ctl(control, "log " + victim)).startsWith("log: " + victim + " is outside");
            assertThat(Files.readString(victim)).isEqualTo("original\n");
            // Its own directory remains usable.
            assertThat(ctl(control, "write " + confDir.resolve("saved.cfg"))).isEmpty();
            assertThat(Files.readString(confDir.resolve("saved.cfg"))).contains("timeout 4");
        }
    }
}
