package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.jpen.headless.JpenProcess.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nohup starts a process with HUP ignored, and a JVM takes over no signal that was ignored when it started: a jpen
 * started so would not re-read its -F file or reopen its log on HUP (Pen installs its handler whatever it inherited).
 * The jpen command gives the JVM HUP's default action back under nohup, so that jpen takes HUP over as on any start;
 * a JVM started another way with HUP ignored says so once it listens, instead of ignoring HUPs in silence.
 * (JpenScriptTest runs ./jpen's lines for it; installer/test-deb.sh reloads the package's jpen under nohup.)
 */
@Timeout(120)
class HupUnderNohupTest {
    private static final String WARNING = "HUP is ignored in this process";

    @TempDir
    Path dir;

    @Test
    void aJpenWhoseJvmStartedWithHupIgnoredSaysThatHupWillNotReload() throws Exception {
        try (NameServer backend = new NameServer("backend")) {
            Path cfg = config(backend.port());
            try (JpenProcess jpen = JpenProcess.startUnderNohup(dir, "-f", "-F", cfg.toString())) {
                await().atMost(60, TimeUnit.SECONDS).until(() -> jpen.output().contains("listening on"));
                await().atMost(10, TimeUnit.SECONDS).until(() -> jpen.output().contains(WARNING));
                assertThat(jpen.output()).contains("Start it with the jpen command").doesNotContain("Exception");
                assertThat(fetch(listenPort(cfg))).isEqualTo("backend");
            }
        }
    }

    @Test
    void aJpenStartedAsTheJpenCommandStartsItTakesHupAndSaysNothingAboutIt() throws Exception {
        try (NameServer backend = new NameServer("backend"); NameServer second = new NameServer("second")) {
            Path cfg = config(backend.port());
            try (JpenProcess jpen = JpenProcess.start(dir, "-f", "-F", cfg.toString())) {
                await().atMost(60, TimeUnit.SECONDS).until(() -> "backend".equals(fetch(listenPort(cfg))));
                Files.writeString(cfg, "listen 127.0.0.1:" + listenPort(cfg) + "\nserver 0 address 127.0.0.1 port "
                        + second.port() + "\n");
                jpen.signal("HUP");
                await().atMost(20, TimeUnit.SECONDS).until(() -> "second".equals(fetch(listenPort(cfg))));
                assertThat(jpen.output()).contains("HUP: re-read").doesNotContain(WARNING);
            }
        }
    }

    @Test
    void aJpenUnderNohupWithNothingAHupWouldDoSaysNothingAboutHup() throws Exception {
        try (NameServer backend = new NameServer("backend")) {
            int listen = JpenProcess.freePort();
            Path pid = dir.resolve("jpen.pid");
            try (JpenProcess jpen = JpenProcess.startUnderNohup(dir, "-f", "-p", pid.toString(),
                    "127.0.0.1:" + listen, "127.0.0.1:" + backend.port())) {
                // the pid file is written after the control plane has started, where the warning would be logged
                await().atMost(60, TimeUnit.SECONDS).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
                assertThat(fetch(listen)).isEqualTo("backend");
                assertThat(jpen.output()).doesNotContain(WARNING);
            }
        }
    }

    private Path config(int serverPort) throws IOException {
        int listen = JpenProcess.freePort();
        return Files.writeString(dir.resolve("jpen.cfg"),
                "listen 127.0.0.1:" + listen + "\nserver 0 address 127.0.0.1 port " + serverPort + "\n");
    }

    private static int listenPort(Path cfg) throws IOException {
        String first = Files.readAllLines(cfg).get(0);
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }
}
