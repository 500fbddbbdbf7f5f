package io.jpen.core.api;

import io.jpen.core.model.ServerView;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.HealthBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Server states and checks through the API: the structured changes, the snapshot's fields and /metrics. */
@Timeout(60)
class ServerLifecycleApiTest {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    private <T extends AutoCloseable> T keep(T r) {
        resources.add(r);
        return r;
    }

    private static ServerView server(ApiFixture f, int i) throws Exception {
        HttpResponse<String> r = f.get("/api/v1/snapshot");
        assertThat(r.statusCode()).isEqualTo(200);
        Snapshot s = ApiJson.lenient().readValue(r.body(), Snapshot.class);
        return s.servers().get(i);
    }

    @Test
    void aServerChangeSetsStateCheckAndSlowStartAndTheSnapshotAndMetricsShowThem() throws Exception {
        HealthBackend a = keep(new HealthBackend("a"));
        HealthBackend health = keep(new HealthBackend("health"));
        health.status(503);
        Backend b = keep(Backend.named("b"));
        ApiFixture f = keep(new ApiFixture(new Backend[] {b}));
        assertThat(f.send("POST", "/api/v1/command", "{\"command\":\"server 1 address 127.0.0.1 port " + a.port() + "\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> f.console.latest() != null && f.console.latest().servers().size() == 2);

        HttpResponse<String> r = f.send("PUT", "/api/v1/servers/1",
                "{\"checkPort\":" + health.port() + ",\"check\":\"http /healthz\",\"slowstartSeconds\":7}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "down".equals(server(f, 1).state()));
        ServerView v = server(f, 1);
        assertThat(v.check()).isEqualTo("http /healthz");
        assertThat(v.checkPort()).isEqualTo(health.port());
        assertThat(v.slowstartSeconds()).isEqualTo(7);
        assertThat(v.reason()).isEqualTo("HTTP 503 from /healthz");
        assertThat(v.lastCheck()).isEqualTo("HTTP 503 from /healthz");
        assertThat(v.lastCheckOk()).isFalse();
        assertThat(v.lastCheckMillis()).isPositive();
        assertThat(v.lastCheckLatencyMillis()).isPositive();
        assertThat(v.stateSinceMillis()).isPositive();
        assertThat(v.checks()).isPositive();
        assertThat(v.checkDurationBuckets()).hasSize(io.jpen.core.engine.health.HealthChecks.BUCKETS.length + 1);
        assertThat(server(f, 0).check()).isNull();
        assertThat(server(f, 0).state()).isEqualTo("up");

        List<MetricsTest.Sample> m = MetricsTest.parse(f.get("/metrics").body());
        assertThat(sample(m, "jpen_server_up", "1", null)).isZero();
        assertThat(sample(m, "jpen_server_up", "0", null)).isEqualTo(1);
        assertThat(sample(m, "jpen_server_state", "1", "down")).isEqualTo(1);
        assertThat(sample(m, "jpen_server_state", "1", "up")).isZero();
        assertThat(sample(m, "jpen_server_state", "0", "up")).isEqualTo(1);
        assertThat(m.stream().filter(s -> s.name().equals("jpen_server_check_duration_seconds_bucket")
                && "1".equals(s.labels().get("server")) && "+Inf".equals(s.labels().get("le")))
                .mapToDouble(MetricsTest.Sample::value).findFirst().orElseThrow()).isPositive();
        assertThat(m).anyMatch(s -> s.name().equals("jpen_server_check_duration_seconds_count"));
        assertThat(m).noneMatch(s -> s.name().startsWith("jpen_server_check_duration") && "0".equals(s.labels().get("server")));

        r = f.send("PUT", "/api/v1/servers/0", "{\"state\":\"drain\",\"drainSeconds\":30}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "drain".equals(server(f, 0).state()));
        assertThat(server(f, 0).reason()).isEqualTo("drained by operator, what is left closes in 30 s");
        assertThat(server(f, 0).drainDeadlineMillis()).isPositive();
        assertThat(f.console.latest().events()).anyMatch(e -> e.kind().equals("server-state") && e.message().contains("is draining"));
        assertThat(f.send("PUT", "/api/v1/servers/0", "{\"state\":\"ready\"}").statusCode()).isEqualTo(200);
        assertThat(f.engine.servers().get(0).admin()).isEqualTo(io.jpen.core.select.Server.Admin.READY);
    }

    private static double sample(List<MetricsTest.Sample> m, String name, String server, String state) {
        return m.stream().filter(s -> s.name().equals(name) && server.equals(s.labels().get("server"))
                        && (state == null || state.equals(s.labels().get("state"))))
                .mapToDouble(MetricsTest.Sample::value).findFirst().orElseThrow(() -> new AssertionError("no " + name));
    }

    @Test
    void badStateAndCheckChangesAreRefusedWithTheReasonAndChangeNothing() throws Exception {
        Backend b = keep(Backend.named("b"));
        ApiFixture f = keep(new ApiFixture(new Backend[] {b}));
        HttpResponse<String> r = f.send("PUT", "/api/v1/servers/0", "{\"state\":\"paused\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("field 'state': 'paused' is not one of ready, drain, maint");
        r = f.send("PUT", "/api/v1/servers/0", "{\"weight\":4,\"check\":\"ftp /\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("server 0 check: unknown kind 'ftp'");
        r = f.send("PUT", "/api/v1/servers/0", "{\"drainSeconds\":5}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("field 'drainSeconds' goes with \\\"state\\\": \\\"drain\\\"");
        r = f.send("PUT", "/api/v1/servers/3", "{\"state\":\"maint\"}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("no server 3 (servers are 0-0)");
        // all or nothing: the weight and the check went in, then the drain was refused: both are undone
        r = f.send("PUT", "/api/v1/servers/0", "{\"weight\":4,\"check\":\"tcp\",\"state\":\"drain\",\"drainSeconds\":0}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(f.engine.servers().get(0).spec().weight()).isZero();
        assertThat(f.engine.servers().get(0).options().check()).isNull();

        r = f.send("PUT", "/api/v1/settings", "{\"healthIntervalSeconds\":0.5,\"healthFall\":0}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("health_fall: 0 is below the minimum 1");
        assertThat(f.engine.healthSettings().intervalMillis()).isEqualTo(2000);
        r = f.send("PUT", "/api/v1/settings", "{\"healthIntervalSeconds\":0.5,\"healthTimeoutSeconds\":1,\"healthFall\":2,\"healthRise\":4}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(f.engine.healthSettings()).isEqualTo(new io.jpen.core.model.HealthSettings(500, 1000, 4, 2));
    }
}
