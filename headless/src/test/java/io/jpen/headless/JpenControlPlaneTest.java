package io.jpen.headless;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpen.headless.JpenProcess.ctl;
import static io.jpen.headless.JpenProcess.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The jpen process with -C, -F, -l, -X: SIGHUP re-reads the config, a bad config changes nothing, exit stops it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JpenControlPlaneTest {
    @TempDir
    Path dir;
    private Process jpen;

    @AfterEach
    void stop() throws Exception {
        if (jpen != null && jpen.isAlive()) {
            jpen.destroy();
            if (!jpen.waitFor(10, TimeUnit.SECONDS)) jpen.destroyForcibly();
        }
    }

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(JpenProcess.HUP_AS_THE_JPEN_COMMAND_LEAVES_IT);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Jpen.class.getName()));
        cmd.addAll(JpenProcess.controlAsRoot()); // about the control plane, not about root (RootControlTest is)
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("jpen.out").toFile()).start();
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("jpen.out"));
    }

    private static int freePort() throws IOException {
        return io.jpen.core.testing.FreePorts.tcp();
    }

    private void hup() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(jpen.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Test
    void hupRereadsTheConfigAndABadOneLeavesTheRunningStateAlone() throws Exception {
        try (NameServer one = new NameServer("one"); NameServer two = new NameServer("two")) {
            int listen = freePort();
            int control = freePort();
            Path conf = dir.resolve("jpen.conf");
            Path log = dir.resolve("access.log");
            Files.writeString(conf, "# backend\ntimeout 4\nserver 0 port " + one.port() + "\n");
            jpen = start("-X", "-C", Integer.toString(control), "-F", conf.toString(), "-l", log.toString(),
                    "127.0.0.1:" + listen, "127.0.0.1:" + two.port());
            await().atMost(60, TimeUnit.SECONDS).until(() -> ctl(control, "timeout") != null);
            assertThat(ctl(control, "timeout")).isEqualTo("4\n");
            assertThat(fetch(listen)).isEqualTo("one");
            // the access log gets Pen's line for every read from a client; HUP reopens it after rotation
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listen)) {
                s.getOutputStream().write("GET /first HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().readAllBytes();
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> Files.exists(log) && Files.readString(log).contains("GET /first"));
            assertThat(Files.readString(log)).matches("127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 GET /first HTTP/1\\.0\n");
            Files.move(log, dir.resolve("access.log.1"));

            Files.writeString(conf, "timeout 5\nserver 0 port " + two.port() + "\n");
            hup();
            await().atMost(20, TimeUnit.SECONDS).until(() -> "5\n".equals(ctl(control, "timeout")));
            assertThat(fetch(listen)).isEqualTo("two");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listen)) {
                s.getOutputStream().write("GET /second HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().readAllBytes();
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> Files.exists(log) && Files.readString(log).contains("GET /second"));
            assertThat(Files.readString(dir.resolve("access.log.1"))).doesNotContain("/second");

            Files.writeString(conf, "timeout 6\nserver 0 port " + one.port() + "\nserver 9 weight 1\n");
            hup();
            await().atMost(20, TimeUnit.SECONDS).until(() -> output().contains("rejected, running state unchanged"));
            assertThat(output()).contains(conf + ":3: no server 9 (servers are 0-0; 1 adds one)");
            assertThat(ctl(control, "timeout")).isEqualTo("5\n");
            assertThat(fetch(listen)).isEqualTo("two");

            assertThat(ctl(control, "log")).isEqualTo(log + "\n");
            assertThat(ctl(control, "exit")).isEmpty();
            assertThat(jpen.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(jpen.exitValue()).isZero();
        }
    }

    @Test
    void aConfigFileAloneCanGiveTheListenAddressAndTheServers() throws Exception {
        try (NameServer one = new NameServer("one"); NameServer two = new NameServer("two")) {
            int listen = freePort();
            Path conf = dir.resolve("alone.conf");
            Files.writeString(conf, "roundrobin\nlisten 127.0.0.1:" + listen + "\n"
                    + "server 0 address 127.0.0.1 port " + one.port() + "\n"
                    + "server 1 address 127.0.0.1 port " + two.port() + " weight 2\n");
            jpen = start("-F", conf.toString());
            await().atMost(60, TimeUnit.SECONDS).until(() -> !jpen.isAlive() || !fetch(listen).startsWith("error"));
            assertThat(jpen.isAlive()).as(output()).isTrue();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 4; i++) seen.add(fetch(listen));
            assertThat(seen).containsExactlyInAnyOrder("one", "two");
        }
    }

    @Test
    void aConfigFileWithoutListenOrServersIsRefusedWithWhatIsMissing() throws Exception {
        Path conf = dir.resolve("partial.conf");
        Files.writeString(conf, "server 0 address 127.0.0.1 port 9\n");
        jpen = start("-F", conf.toString());
        assertThat(jpen.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jpen.exitValue()).isEqualTo(2);
        assertThat(output()).contains("no listen address").contains(conf.toString());

        Files.writeString(conf, "listen 127.0.0.1:" + freePort() + "\n");
        jpen = start("-F", conf.toString());
        assertThat(jpen.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jpen.exitValue()).isEqualTo(2);
        assertThat(output()).contains("no servers");
    }

    @Test
    void aBadConfigFileStopsStartUpWithFileAndLine() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "timeout 4\nweight heavy\n");
        jpen = start("-F", conf.toString(), "127.0.0.1:" + freePort(), "127.0.0.1:9");
        assertThat(jpen.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jpen.exitValue()).isEqualTo(2);
        assertThat(output()).contains("jpen: " + conf + ":2: weight takes no arguments");
    }

    @Test
    void exitIsRefusedWithoutDashX() throws Exception {
        int control = freePort();
        jpen = start("-C", "127.0.0.1:" + control, "127.0.0.1:" + freePort(), "127.0.0.1:9");
        await().atMost(60, TimeUnit.SECONDS).until(() -> ctl(control, "pid") != null);
        assertThat(ctl(control, "pid")).isEqualTo(jpen.pid() + "\n");
        assertThat(ctl(control, "exit")).isEqualTo("Exit is not enabled; restart with -X flag\n");
        assertThat(jpen.isAlive()).isTrue();
    }

    private static int check(int port) {
        return Jpenctl.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "--check", "127.0.0.1:" + port);
    }

    @Test
    void hashMethodFromDashOAndTheCheckAndRoleThatKeepalivedUse() throws Exception {
        try (NameServer one = new NameServer("one")) {
            int control = freePort();
            jpen = start("-C", "127.0.0.1:" + control, "-O", "hash_method maglev", "127.0.0.1:" + freePort(),
                    "127.0.0.1:" + one.port());
            await().atMost(60, TimeUnit.SECONDS).until(() -> !jpen.isAlive() || ctl(control, "pid") != null);
            assertThat(jpen.isAlive()).as(output()).isTrue();
            assertThat(ctl(control, "mode")).isEqualTo("no hash no roundrobin no stubborn no weight no prio hash_method maglev\n");
            assertThat(check(control)).isZero();
            assertThat(ctl(control, "server", "0", "blacklist", "60")).isEmpty();
            assertThat(check(control)).isEqualTo(1);
            // As keepalived runs it: its own process, through main's short way past the option parser.
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Jpenctl.class.getName(), "--check", "127.0.0.1:" + control)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(1);
            assertThat(err).isEqualTo("jpenctl: 127.0.0.1:" + control + ": fail: no server can take clients (0 of 1 servers in rotation)\n");
            assertThat(ctl(control, "role", "BACKUP")).isEmpty();
            assertThat(ctl(control, "role")).startsWith("backup since ");
            jpen.destroy();
            assertThat(jpen.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(check(control)).as("nothing listens any more").isEqualTo(1);
        }
    }

    @Test
    void checksFromDashOAndTheConfigFileRunFromStartAndShowInServers() throws Exception {
        try (NameServer one = new NameServer("one")) {
            int control = freePort();
            int stopped = freePort();
            Path conf = dir.resolve("health.conf");
            Files.writeString(conf, "health_interval 0.2\nserver 0 check send \"\" expect \"one\"\n");
            jpen = start("-C", "127.0.0.1:" + control, "-F", conf.toString(), "-O", "server 1 check tcp",
                    "-O", "health_fall 1", "127.0.0.1:" + freePort(), "127.0.0.1:" + one.port(), "127.0.0.1:" + stopped);
            await().atMost(60, TimeUnit.SECONDS).until(() -> !jpen.isAlive() || ctl(control, "pid") != null);
            assertThat(jpen.isAlive()).as(output()).isTrue();
            await().atMost(30, TimeUnit.SECONDS).until(() -> ctl(control, "servers").contains(" state down check tcp"));
            String[] lines = ctl(control, "servers").split("\n");
            assertThat(lines[0]).endsWith(" state up check send \"\" expect \"one\"");
            assertThat(lines[1]).endsWith(" state down check tcp");
            assertThat(ctl(control, "health_interval")).isEqualTo("0.2\n");
            assertThat(ctl(control, "health")).startsWith("ok: ").contains("1 of 2 servers can take clients");
            assertThat(output()).contains("server 1 (127.0.0.1:" + stopped + ") is down: connection refused by 127.0.0.1:" + stopped);
        }
    }

    @Test
    void aBadDashOCommandStopsStartUpWithTheReason() throws Exception {
        jpen = start("-O", "hash_method ring", "127.0.0.1:" + freePort(), "127.0.0.1:9");
        assertThat(jpen.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jpen.exitValue()).isEqualTo(2);
        assertThat(output()).contains("jpen: -O 'hash_method ring': hash_method takes modulo or maglev, not 'ring'");
    }
}
