package io.jpen.headless;

import io.jpen.core.api.client.ApiClient;
import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiToken;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(90)
class ApiOptionsTest {
    @TempDir
    Path dir;

    private static ApiOptions parse(String... args) {
        Jpen jpen = new Jpen();
        Jpen.commandLine(jpen).parseArgs(args);
        return jpen.api;
    }

    @Test
    void withoutApiThereIsNoServerAndApiOnlyOptionsAreRefused() {
        assertThat(parse("8080", "127.0.0.1:80").config(Map.of("XDG_CONFIG_HOME", dir.toString()), System.err)).isNull();
        assertThatThrownBy(() -> parse("--metrics-public", "8080", "127.0.0.1:80").config(Map.of("XDG_CONFIG_HOME", dir.toString()), System.err))
                .hasMessageContaining("need --api");
        assertThatThrownBy(() -> parse("--api", "9090", "--api-tls-cert", "c.pem", "8080", "127.0.0.1:80").config(Map.of("XDG_CONFIG_HOME", dir.toString()), System.err))
                .hasMessageContaining("--api-tls-cert and --api-tls-key go together");
        assertThatThrownBy(() -> parse("--api", "host:port", "8080", "127.0.0.1:80").config(Map.of("XDG_CONFIG_HOME", dir.toString()), System.err))
                .hasMessageContaining("'port' is not a port number");
        assertThat(dir.resolve("jpen")).as("no token file for a refused command line").doesNotExist();
    }

    @Test
    void theTokenFileIsGeneratedOwnerOnlyAndItsPathPrintedButNeverTheToken() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ApiConfig c = parse("--api", "127.0.0.1:0", "8080", "127.0.0.1:80")
                .config(Map.of("XDG_CONFIG_HOME", dir.toString()), new PrintStream(out, true, StandardCharsets.UTF_8));
        Path file = dir.resolve("jpen/api-token");
        String token = Files.readString(file).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(c.token().matches(token)).isTrue();
        assertThat(c.bind().getAddress().isLoopbackAddress()).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(file.toString()).doesNotContain(token);

        ApiConfig fromEnv = parse("--api", "0", "--api-token-file", dir.resolve("other").toString(), "8080", "127.0.0.1:80")
                .config(Map.of(ApiToken.ENV, "from-env"), new PrintStream(new ByteArrayOutputStream()));
        assertThat(fromEnv.token().matches("from-env")).isTrue();
        assertThat(dir.resolve("other")).doesNotExist();
    }

    @Test
    void withoutXdgConfigHomeTheTokenFileIsUnderHomeAndItsPathPrinted() {
        Path home = dir.resolve("home");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ApiConfig c = parse("--api", "127.0.0.1:0", "8080", "127.0.0.1:80")
                .config(Map.of("HOME", home.toString()), new PrintStream(out, true, StandardCharsets.UTF_8));
        Path file = home.resolve(".config/jpen/api-token");
        assertThat(file).exists();
        assertThat(c.token().matches(ApiToken.read(file))).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("jpen: API token in " + file + "\n");
    }

    /** The jpen command with a HOME of its own (as sudo -H or a service gives it): the token goes there. */
    @Test
    void theJpenCommandPutsItsTokenUnderTheHomeItIsGiven() throws Exception {
        Path home = dir.resolve("home");
        Path file = home.resolve(".config/jpen/api-token");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.jpen.headless.Jpen",
                "--api", "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:9").redirectErrorStream(true);
        pb.environment().remove(ApiToken.ENV);
        pb.environment().remove("XDG_CONFIG_HOME");
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null && !line.contains("jpen: API on")) seen.add(line);
            assertThat(seen).as("jpen's output").contains("jpen: API token in " + file);
            assertThat(file).exists();
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** The real {@code jpen} main in a child JVM: --api serves the engine with the generated token; TERM stops it. */
    @Test
    void theJpenDaemonServesTheApiWithTheGeneratedToken() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path tokenFile = dir.resolve("token");
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "io.jpen.headless.Jpen",
                    "--api", "127.0.0.1:0", "--api-token-file", tokenFile.toString(),
                    "127.0.0.1:0", "127.0.0.1:" + backend.getLocalPort()).redirectErrorStream(true);
            pb.environment().remove(ApiToken.ENV);
            Process p = pb.start();
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Pattern apiLine = Pattern.compile("jpen: API on (\\S+)/api/v1/");
                List<String> seen = new ArrayList<>();
                URI api = null;
                String line;
                while (api == null && (line = r.readLine()) != null) {
                    seen.add(line);
                    Matcher m = apiLine.matcher(line);
                    if (m.find()) api = URI.create(m.group(1));
                }
                assertThat(api).as(String.join("\n", seen)).isNotNull();
                assertThat(seen).anyMatch(l -> l.contains("API token in " + tokenFile));
                Thread drain = new Thread(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the child ended
                    }
                });
                drain.setDaemon(true);
                drain.start();

                String token = ApiToken.read(tokenFile);
                Reply reply = ApiClient.command(api, token, "server 0 weight 4");
                assertThat(reply.ok()).as(reply.text()).isTrue();
                ApiClient client = new ApiClient(api, token);
                Snapshot s = null;
                for (int i = 0; i < 100 && (s == null || s.servers().get(0).weight() != 4); i++) {
                    try {
                        s = client.snapshot();
                    } catch (java.io.IOException notYet) {
                        Thread.sleep(100); // 503 before the first tick
                    }
                    if (s == null || s.servers().get(0).weight() != 4) Thread.sleep(100);
                }
                assertThat(s).isNotNull();
                assertThat(s.servers().get(0).weight()).isEqualTo(4);
                URI base = api;
                assertThatThrownBy(() -> ApiClient.command(base, "wrong", "servers")).hasMessageContaining("401");
            } finally {
                p.destroy(); // SIGTERM: the daemon shuts down cleanly
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
            assertThat(p.exitValue()).isZero();
        }
    }
}
