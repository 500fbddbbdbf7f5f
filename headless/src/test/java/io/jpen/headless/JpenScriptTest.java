package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the repository's ./jpen decides before it starts java, run as its own lines in bash (the whole script would
 * build the project first): HUP's disposition (HupUnderNohupTest has why) and the JDK it runs on.
 */
@Timeout(60)
class JpenScriptTest {
    private static final Path SCRIPT = Path.of("..", "jpen");

    @TempDir
    Path dir;

    @Test
    void itAsksForHupsDefaultActionOnlyWhenHupIsIgnored() throws Exception {
        String script = lines("hup=()", "done </proc/$$/status") + "printf '%s' \"${hup[*]}\"\n";
        assertThat(run(List.of("nohup", "bash", "-c", script))).isEqualTo("env --default-signal=HUP");
        assertThat(run(List.of("env", "--default-signal=HUP", "bash", "-c", script))).isEmpty();
    }

    @Test
    void itTellsJdk24AndLaterThatNativeAccessIsWantedAndNamesTheRealJdkForTheArchive() throws Exception {
        assertThat(onJdk("25.0.3")).isEqualTo(jdk("25.0.3") + "/bin/java|25|-Xmn5m --enable-native-access=ALL-UNNAMED "
                + "--sun-misc-unsafe-memory-access=allow");
        assertThat(onJdk("17.0.15")).isEqualTo(jdk("17.0.15") + "/bin/java|17|-Xmn5m");
    }

    /** The JDK part of ./jpen with a fake JDK of that version first on the PATH, through a symlink as Debian has it. */
    private String onJdk(String version) throws Exception {
        Path home = Files.createDirectories(dir.resolve("jdk-" + version));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.writeString(Files.createDirectories(home.resolve("bin")).resolve("java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path alternatives = Files.createDirectories(dir.resolve("alternatives-" + version));
        Files.createSymbolicLink(alternatives.resolve("java"), java);
        String script = "set -euo pipefail\ndefaults=(-Xmn5m)\n"
                + lines("command -v java >/dev/null ||", "  defaults+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)")
                + "fi\nprintf '%s|%s|%s' \"$javabin\" \"$jmajor\" \"${defaults[*]}\"\n";
        return run(List.of("env", "PATH=" + alternatives + ":" + System.getenv("PATH"), "bash", "-c", script));
    }

    private String jdk(String version) throws IOException {
        return dir.resolve("jdk-" + version).toRealPath().toString();
    }

    /** The lines of ./jpen from the one that starts with {@code first} to the one that starts with {@code last}. */
    private static String lines(String first, String last) throws IOException {
        List<String> all = Files.readAllLines(SCRIPT);
        int from = -1;
        for (int i = 0; i < all.size() && from < 0; i++) if (all.get(i).startsWith(first)) from = i;
        assertThat(from).as("a line starting %s in %s", first, SCRIPT).isNotNegative();
        int to = -1;
        for (int i = from; i < all.size() && to < 0; i++) if (all.get(i).startsWith(last)) to = i;
        assertThat(to).as("a line starting %s after it in %s", last, SCRIPT).isNotNegative();
        return String.join("\n", all.subList(from, to + 1)) + "\n";
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit of %s", cmd.get(cmd.size() - 1)).isZero();
        return out;
    }
}
