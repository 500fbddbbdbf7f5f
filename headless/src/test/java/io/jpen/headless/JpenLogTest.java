package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A jpen process logs its lines in jpen's format through the provider its launcher names (no scan of the class path
 * for one), says nothing about that choice, and still takes an operator's own logback file.
 */
@Timeout(60)
class JpenLogTest {
    private static final String LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) \\[INFO] Engine - listening on .*";

    @Test
    void logsItsLinesWithoutNotesFromSlf4j() throws Exception {
        List<String> out = runUntilListening(List.of());
        assertThat(out).anyMatch(l -> l.matches(LINE));
        assertThat(String.join("\n", out)).doesNotContain("SLF4J");
    }

    @Test
    void anOperatorsLogbackFileStillDecides() throws Exception {
        Path conf = Files.createTempFile("logback", ".xml");
        try {
            Files.writeString(conf, """
                    <configuration>
                      <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                        <target>System.err</target>
                        <encoder><pattern>OPERATOR %level %msg%n</pattern></encoder>
                      </appender>
                      <root level="INFO"><appender-ref ref="out"/></root>
                    </configuration>
                    """);
            List<String> out = runUntilListening(List.of("-Dlogback.configurationFile=" + conf));
            assertThat(out).anyMatch(l -> l.startsWith("OPERATOR INFO listening on"));
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    private static List<String> runUntilListening(List<String> jvmOptions) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.jpen.headless.Jpen",
                "-f", "127.0.0.1:" + port, "127.0.0.1:9"));
        Path log = Files.createTempFile("jpen", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(30, TimeUnit.SECONDS).until(() -> Files.readString(log).contains("listening on"));
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            return Files.readAllLines(log);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
