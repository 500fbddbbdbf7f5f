package io.jpen.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The remote-console probe as bench/run.sh starts it: a real process, its watcher a real detached process. */
@Timeout(90)
class ConsoleProbeTest {
    private static final Pattern ATTACHED = Pattern.compile("remote watcher \\(pid (\\d+)\\) attached to http://127\\.0\\.0\\.1:\\d+, engine starting");
    private static final Pattern REPORT = Pattern.compile("ConsoleProbe: remote watcher \\(pid (\\d+)\\) received (\\d+) snapshots over");

    @TempDir
    Path dir;

    @Test
    void remoteProbeListensWithAWatcherOutsideItsProcessTreeThatLeavesWithIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("probe.log");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConsoleProbe.class.getName(),
                "--remote-console", "1", "127.0.0.1:" + port, "127.0.0.1:9")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ProcessHandle watcher = null;
        try {
            Matcher attached;
            while (!(attached = ATTACHED.matcher(read(log))).find()) {
                assertThat(probe.isAlive()).as("probe alive; its log so far:%n%s", read(log)).isTrue();
                Thread.sleep(50);
            }
            watcher = ProcessHandle.of(Long.parseLong(attached.group(1))).orElseThrow();
            while (!accepts(port)) Thread.sleep(50);

            long watcherPid = watcher.pid();
            assertThat(probe.toHandle().descendants().map(ProcessHandle::pid)).doesNotContain(watcherPid);
            assertThat(watcher.isAlive()).isTrue();

            probe.destroy(); // SIGTERM, as anchors.sh stops a candidate
            assertThat(probe.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(watcher.onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
            String out = read(log);
            Matcher report = REPORT.matcher(out);
            assertThat(report.find()).as(out).isTrue();
            assertThat(Long.parseLong(report.group(1))).isEqualTo(watcherPid);
            assertThat(Long.parseLong(report.group(2))).isPositive();
            assertThat(out).contains("RemoteWatcher: received ").contains("leaving: the engine (pid " + probe.pid() + ") is gone");
            // The line bench/table.py reads the console's own CPU from.
            assertThat(out).containsPattern("ConsoleProbe: thread CPU \\(s\\): relay [\\d.]+ console [\\d.]+ compiler [\\d.]+ other [\\d.]+");
        } finally {
            probe.destroyForcibly();
            if (watcher != null) watcher.destroyForcibly();
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
