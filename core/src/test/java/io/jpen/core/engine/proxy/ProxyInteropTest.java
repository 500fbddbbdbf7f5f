package io.jpen.core.engine.proxy;

import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.ChildProcess;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.HttpBackend;
import io.jpen.core.testing.Resources;
import io.jpen.core.testing.TestCerts;
import io.jpen.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpen.core.engine.proxy.ProxyAcceptTest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PROXY protocol against the real thing from Debian's packages, over loopback: curl's
 * {@code --haproxy-protocol}, HAProxy 2.6 ({@code send-proxy-v2}) in front of jpen, and nginx's
 * {@code proxy_protocol} listener behind it. HAProxy and nginx run as child processes with their config files
 * in a temporary folder, on free loopback ports, and are stopped after each test, passed or failed.
 */
@Timeout(90)
class ProxyInteropTest {
    private static final String HAPROXY = "/usr/sbin/haproxy";
    private static final String NGINX = "/usr/sbin/nginx";

    @RegisterExtension
    final Resources resources = new Resources();
    @TempDir
    Path dir;

    /** Runs curl; returns its exit code and output ("CODE OUTPUT"). */
    static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("curl finished").isTrue();
        return p.exitValue() + " " + out;
    }

    private static void needs(String binary, String pkg) {
        assumeTrue(ChildProcess.installed(binary), binary + " is not installed (apt-get install " + pkg
                + "; .ci/run installs it): the interop test with it is skipped");
    }

    private Engine jpen(Settings settings, TlsConfig tls, int... backendPorts) {
        List<ServerSpec> servers = new ArrayList<>();
        for (int p : backendPorts) servers.add(ServerSpec.of("127.0.0.1", p));
        return resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), servers, settings)
                .withTls(tls)));
    }

    /** HAProxy in TCP mode on {@code port}, sending a v2 PROXY header to jpen. */
    private ChildProcess haproxy(int port, int jpenPort) throws IOException {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n",
                "global",
                "    maxconn 100",
                "defaults",
                "    mode tcp",
                "    timeout connect 5s",
                "    timeout client 30s",
                "    timeout server 30s",
                "frontend front",
                "    bind 127.0.0.1:" + port,
                "    default_backend jpen",
                "backend jpen",
                "    server jpen 127.0.0.1:" + jpenPort + " send-proxy-v2",
                ""));
        return resources.keep(ChildProcess.start(dir, "haproxy", port, List.of(HAPROXY, "-db", "-f", cfg.toString())));
    }

    /** nginx with a {@code proxy_protocol} listener that answers with the address and port the header carried. */
    private ChildProcess nginx(int port) throws IOException {
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        Path conf = prefix.resolve("nginx.conf");
        String p = prefix.toString();
        Files.writeString(conf, String.join("\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "pid " + p + "/nginx.pid;",
                "error_log " + p + "/error.log info;",
                "events { worker_connections 64; }",
                "http {",
                "    access_log off;",
                "    client_body_temp_path " + p + "/body;",
                "    proxy_temp_path " + p + "/proxy;",
                "    fastcgi_temp_path " + p + "/fastcgi;",
                "    uwsgi_temp_path " + p + "/uwsgi;",
                "    scgi_temp_path " + p + "/scgi;",
                "    server {",
                "        listen 127.0.0.1:" + port + " proxy_protocol;",
                "        location / { return 200 \"$proxy_protocol_addr $proxy_protocol_port via $remote_addr\\n\"; }",
                "    }",
                "}",
                ""));
        return resources.keep(ChildProcess.start(dir, "nginx", port,
                List.of(NGINX, "-p", p + "/", "-c", conf.toString(), "-e", p + "/error.log")));
    }

    @Test
    void curlsHaproxyProtocolThroughJpenInHttpModeReachesABackendThatSeesTheClientInXForwardedFor() throws Exception {
        HttpBackend web = resources.keep(new HttpBackend("web"));
        Engine e = jpen(Settings.defaults().withHttp(true), TlsConfig.NONE, web.port());
        ok(e, "accept_proxy");
        assertThat(curl("--haproxy-protocol", "--interface", "127.0.0.7", "http://127.0.0.1:" + e.port() + "/"))
                .isEqualTo("0 web xff=127.0.0.7 proto=http body=0");
        assertThat(ok(e, "recent")).startsWith("127.0.0.7 connects 1");
        // Without the header the same listener refuses: every connection must start with one.
        assertThat(curl("--interface", "127.0.0.7", "http://127.0.0.1:" + e.port() + "/")).doesNotStartWith("0 ");
        assertThat(e.proxyView().rejected()).containsEntry("missing", 1L);
    }

    @Test
    void curlsHeaderComesInClearBeforeTheTlsHandshakeThatJpenTerminates() throws Exception {
        TestCerts.selfSigned(dir, "server", "localhost");
        HttpBackend web = resources.keep(new HttpBackend("web"));
        Engine e = jpen(Settings.defaults().withHttp(true),
                TlsConfig.NONE.withCertificate(dir.resolve("server.crt")).withKey(dir.resolve("server.key")), web.port());
        ok(e, "accept_proxy");
        assertThat(curl("--haproxy-protocol", "--interface", "127.0.0.7", "--cacert", dir.resolve("server.crt").toString(),
                "--resolve", "localhost:" + e.port() + ":127.0.0.1", "https://localhost:" + e.port() + "/"))
                .isEqualTo("0 web xff=127.0.0.7 proto=https body=0");
    }

    @ParameterizedTest(name = "jpen to nginx with proxy {0}")
    @ValueSource(strings = {"v1", "v2"})
    void theClientsOwnAddressReachesNginxThroughHaproxyAndJpen(String version) throws Exception {
        needs(HAPROXY, "haproxy");
        needs(NGINX, "nginx");
        int nginxPort = ChildProcess.freePort();
        ChildProcess nginx = nginx(nginxPort);
        Engine e = jpen(Settings.defaults(), TlsConfig.NONE, nginxPort);
        ok(e, "accept_proxy");
        ok(e, "server 0 proxy " + version);
        int front = ChildProcess.freePort();
        haproxy(front, e.port());
        String got = curl("--interface", "127.0.0.7", "http://127.0.0.1:" + front + "/");
        assertThat(got).as("nginx log:\n%s", nginx.output()).matches("0 127\\.0\\.0\\.7 \\d+ via 127\\.0\\.0\\.1");
        // (HAProxy may also have passed on the start-up probe's connection, from 127.0.0.1.)
        assertThat(ok(e, "recent")).contains("127.0.0.7 connects 1 ");
        assertThat(e.proxyView().accepted()).isPositive();
    }

    @Test
    void twoClientsBehindHaproxyAreTrackedAndFilteredByJpenSeparately() throws Exception {
        needs(HAPROXY, "haproxy");
        HttpBackend a = resources.keep(new HttpBackend("a"));
        HttpBackend b = resources.keep(new HttpBackend("b"));
        Engine e = jpen(Settings.defaults(), TlsConfig.NONE, a.port(), b.port());
        ok(e, "accept_proxy");
        int front = ChildProcess.freePort();
        haproxy(front, e.port());
        String url = "http://127.0.0.1:" + front + "/";
        String seven = curl("--interface", "127.0.0.7", url);
        String eight = curl("--interface", "127.0.0.8", url);
        assertThat(List.of(seven, eight)).containsExactlyInAnyOrder("0 a xff=- proto=- body=0", "0 b xff=- proto=- body=0");
        for (int i = 0; i < 3; i++) {
            assertThat(curl("--interface", "127.0.0.7", url)).isEqualTo(seven);
            assertThat(curl("--interface", "127.0.0.8", url)).isEqualTo(eight);
        }
        assertThat(ok(e, "recent")).contains("127.0.0.7 connects 4 ").contains("127.0.0.8 connects 4 ");

        ok(e, "acl 1 deny 127.0.0.8");
        ok(e, "client_acl 1");
        assertThat(curl("--interface", "127.0.0.8", url)).doesNotStartWith("0 ");
        assertThat(curl("--interface", "127.0.0.7", url)).isEqualTo(seven);
        assertThat(e.events().recent()).anyMatch(ev -> ev.message().contains("127.0.0.8")
                && ev.message().contains("denied by client_acl 1"));
    }
}
