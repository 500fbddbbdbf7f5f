package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A start makes no annotation proxy class before it listens: Netty's @Skip and @Sharable on the listener's handlers
 * were read through proxies, classes generated at run time that the class-data archive cannot hold, 15-20 ms of a
 * start (docs/performance.md, "Start-up, third pass").
 */
@Timeout(60)
class StartClassesTest {

    @Test
    void aStartMakesNoProxyClassUntilItListens() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path classes = Files.createTempFile("jpen-classes", ".log");
        Path out = Files.createTempFile("jpen", ".out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load:file=" + classes, "-cp", System.getProperty("java.class.path"), Jpen.class.getName(),
                "-f", "127.0.0.1:" + port, "127.0.0.1:9"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            await().atMost(30, TimeUnit.SECONDS).until(() -> Files.readString(out).contains("listening on"));
            List<String> loaded = Files.readAllLines(classes);
            assertThat(loaded).anyMatch(l -> l.contains("io.jpen.core.engine.Accepting "));
            assertThat(loaded).noneMatch(l -> l.contains("__dynamic_proxy__"));
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            Files.deleteIfExists(classes);
            Files.deleteIfExists(out);
        }
    }
}
