package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The jpen command: Pen's options, clear errors for bad ones, and a clean stop on TERM. */
@Timeout(60)
class JpenCommandLineTest {

    private record Result(int code, String err) {}

    private static Result run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Jpen.run(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest(name = "jpen {0} fails naming {1}")
    @CsvSource(delimiter = '|', value = {
            "-k 8080 127.0.0.1:80            | -k",
            "99999 127.0.0.1:80              | 99999",
            "http 127.0.0.1:80               | http",
            "8080 127.0.0.1:80:x             | 'x'",
            "8080 127.0.0.1:70000            | 70000",
            "8080 127.0.0.1:80:1:2:3:4:5     | too many fields",
            "-x notanumber 8080 127.0.0.1:80 | notanumber",
            "-b -1 8080 127.0.0.1:80         | -b",
            "-t 0 8080 127.0.0.1:80          | -t",
            "-e nowhere 8080 127.0.0.1:80    | nowhere",
            "8080                            | no servers",
            "--transport carrier 8080 a:1    | carrier",
    })
    void aBadCommandLineExitsNonZeroWithAMessageNamingTheBadArgument(String args, String named) {
        Result r = run(args.trim().split("\\s+"));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains(named);
    }

    @Test
    void optionsJpenCannotHonourAreNamedInAWarning() {
        Result r = run("-P", "-Z", "-j", "/srv", "8080");
        assertThat(r.err()).contains("-P/-Q ignored").contains("-Z ignored").contains("-j /srv ignored");
        // -u: a warning as another user; as root a refusal, since a JVM cannot drop privileges (RootControlTest)
        assertThat(run("-u", "nobody", "8080").err()).contains(RootCheck.runningAsRoot()
                ? "-u nobody: jpen cannot drop root's privileges itself" : "-u nobody ignored");
    }

    @Test
    void udpModeOnAUnixSocketPathIsRefusedWithAClearMessage() {
        Result r = run("-U", "/tmp/jpen-udp-test.sock", "127.0.0.1:53");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("UDP mode needs an IP listen address");
    }

    @Test
    void versionAndHelpWork() {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Jpen.run(new String[]{"--version"})).isZero();
            assertThat(Jpen.run(new String[]{"--help"})).isZero();
        } finally {
            System.setOut(oldOut);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("jpen ").contains("-x=N").contains("--transport");
    }

    @Test
    void jpenBalancesWritesItsPidFileAndExitsZeroOnTerm() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = probe.getLocalPort();
            probe.close();
            Thread server = new Thread(() -> {
                try (Socket s = backend.accept()) {
                    s.getOutputStream().write("from backend\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // test ends
                }
            });
            server.setDaemon(true);
            server.start();
            Path pid = Files.createTempFile("jpen", ".pid");
            Files.delete(pid);
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.jpen.headless.Jpen",
                    "-f", "-r", "-p", pid.toString(), "127.0.0.1:" + port, "127.0.0.1:" + backend.getLocalPort()));
            Path log = Files.createTempFile("jpen", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(30, TimeUnit.SECONDS).until(() -> Files.exists(pid));
                assertThat(Files.readString(pid).trim()).isEqualTo(Long.toString(p.pid()));
                try (Socket c = new Socket("127.0.0.1", port)) {
                    c.setSoTimeout(10_000);
                    InputStream in = c.getInputStream();
                    assertThat(new String(in.readNBytes(13), StandardCharsets.US_ASCII)).isEqualTo("from backend\n");
                }
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                String output = Files.readString(log);
                assertThat(p.exitValue()).as(output).isZero();
                assertThat(output).contains("listening on");
                assertThat(pid).doesNotExist();
            } finally {
                p.destroyForcibly();
                Files.deleteIfExists(log);
            }
        }
    }
}
