package io.jpen.core.api;

import io.jpen.core.api.client.RemoteConsole;
import io.jpen.core.model.ConnectionDetail;
import io.jpen.core.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.jpen.core.testing.Clients.fetch;
import static io.jpen.core.testing.Clients.readUntilTheServerEnds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Connect times reach the snapshot JSON and {@code /metrics} as histograms; a connection's story reaches the API. */
@Timeout(60)
class LatencyAndDetailApiTest {

    @Test
    void connectTimesAreAPrometheusHistogramPerServerAndPercentilesInTheSnapshot() throws Exception {
        try (Backend a = Backend.named("a"); ApiFixture f = new ApiFixture(a)) {
            for (int i = 0; i < 3; i++) fetch(f.engine.port());
            await().until(() -> f.get("/api/v1/snapshot").body().contains("\"connectsLastMinute\":3"));
            assertThat(f.get("/api/v1/snapshot").body()).contains("\"connectP50Millis\":", "\"connectP99Millis\":",
                    "\"firstByteP50Millis\":0");
            List<MetricsTest.Sample> samples = MetricsTest.parse(f.get("/metrics").body());
            assertThat(samples).filteredOn(s -> s.name().equals("jpen_server_connect_duration_seconds_count"))
                    .singleElement().satisfies(s -> {
                        assertThat(s.value()).isEqualTo(3);
                        assertThat(s.labels()).containsEntry("server", "0");
                    });
            assertThat(samples).filteredOn(s -> s.name().equals("jpen_server_connect_duration_seconds_bucket")
                    && "+Inf".equals(s.labels().get("le"))).singleElement().extracting(MetricsTest.Sample::value).isEqualTo(3.0);
            assertThat(samples).anyMatch(s -> s.name().equals("jpen_server_connect_duration_seconds_sum") && s.value() > 0);
            assertThat(samples).anyMatch(s -> s.name().equals("jpen_server_first_byte_seconds_count") && s.value() == 0);
        }
    }

    @Test
    void aConnectionsStoryIsServedByTheApiAndReadByARemoteConsole() throws Exception {
        try (Backend a = Backend.named("a"); ApiFixture f = new ApiFixture(a)) {
            assertThat(readUntilTheServerEnds(f.engine.port())).isEqualTo("a");
            await().until(() -> f.get("/api/v1/connections/0").body().contains("\"closedBy\":\"server\""));
            HttpResponse<String> r = f.get("/api/v1/connections/0");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"choice\":\"round robin\"", "\"connectMillis\":", "\"bytesDown\":2");
            HttpResponse<String> missing = f.get("/api/v1/connections/77");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("no connection 77");
            assertThat(f.get("/api/v1/connections/x").statusCode()).isEqualTo(400);

            try (RemoteConsole remote = new RemoteConsole(f.api.uri(), ApiFixture.TOKEN)) {
                Optional<ConnectionDetail> d = remote.connection(0).get(10, TimeUnit.SECONDS);
                assertThat(d).get().extracting(ConnectionDetail::server, ConnectionDetail::closedBy).containsExactly(0, "server");
                assertThat(remote.connection(77).get(10, TimeUnit.SECONDS)).isEmpty();
            }
        }
    }
}
