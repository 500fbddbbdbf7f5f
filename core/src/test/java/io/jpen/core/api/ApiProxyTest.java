package io.jpen.core.api;

import io.jpen.core.api.client.ApiClient;
import io.jpen.core.model.ProxyVersion;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.ProxyHeaders;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The PROXY protocol through the API: the server field, accept_proxy, the sending peer, and the counts. */
@Timeout(60)
class ApiProxyTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private static Snapshot snapshot(ApiFixture f) throws IOException {
        HttpResponse<String> r = f.get("/api/v1/snapshot");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiClient.readSnapshot(r.body());
    }

    @Test
    void proxyChangesThroughPutAndTheSnapshotShowsItAcceptProxyTheSendingPeerAndTheCounts() throws Exception {
        Backend hold = resources.keep(new Backend("hold", Backend.Mode.HOLD));
        ApiFixture f = resources.keep(new ApiFixture(hold));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.console.latest() != null);

        HttpResponse<String> put = f.send("PUT", "/api/v1/servers/0", "{\"proxy\":\"v1\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(f.engine.servers().get(0).spec().proxy()).isEqualTo(ProxyVersion.V1);
        HttpResponse<String> bad = f.send("PUT", "/api/v1/servers/0", "{\"proxy\":\"v3\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("field 'proxy': proxy takes v1, v2 or off, not 'v3'");
        assertThat(f.send("POST", "/api/v1/command", "{\"command\":\"accept_proxy\"}").statusCode()).isEqualTo(200);

        try (Socket front = ProxyHeaders.open("127.0.0.1", f.engine.port(), ProxyHeaders.v2("192.0.2.44", 4321, "127.0.0.1", 80))) {
            String peer = "/127.0.0.1:" + front.getLocalPort();
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshot(f).connections().stream()
                    .anyMatch(c -> "/192.0.2.44:4321".equals(c.client()) && peer.equals(c.via())));
            Snapshot s = snapshot(f);
            assertThat(s.servers().get(0).proxy()).isEqualTo("v1");
            assertThat(s.listener().proxy().accept()).isTrue();
            assertThat(s.listener().proxy().acl()).isEqualTo(-1);
            assertThat(s.listener().proxy().accepted()).isEqualTo(1);
            assertThat(s.listener().proxy().rejected()).containsEntry("missing", 0L);

            HttpResponse<String> page = f.get("/api/v1/connections");
            assertThat(page.body()).contains("\"client\":\"/192.0.2.44:4321\"").contains("\"via\":\"" + peer + "\"");
        }
        try (Socket plain = new Socket("127.0.0.1", f.engine.port())) {
            plain.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(plain.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> f.get("/metrics").body()
                .contains("jpen_proxy_header_rejected_total{reason=\"missing\"} 1.0"));
        assertThat(f.get("/metrics").body()).contains("jpen_proxy_headers_total 1.0");
    }
}
