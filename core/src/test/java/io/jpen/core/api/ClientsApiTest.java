package io.jpen.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpen.core.api.client.RemoteConsole;
import io.jpen.core.model.ClientView;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client table through the API: in the snapshot and the WebSocket stream, forget and pin as commands. */
@Timeout(60)
class ClientsApiTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private ApiFixture fixture() throws IOException {
        ApiFixture f = resources.keep(new ApiFixture(resources.keep(Backend.named("a")), resources.keep(Backend.named("b"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.console.latest() != null);
        return f;
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return ApiJson.lenient().readTree(r.body());
    }

    private static JsonNode command(ApiFixture f, String line) throws IOException {
        HttpResponse<String> r = f.send("POST", "/api/v1/command", "{\"command\":\"" + line + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static JsonNode client(JsonNode snapshot, String address) {
        for (JsonNode c : snapshot.get("clients")) if (c.get("address").asText().equals(address)) return c;
        return null;
    }

    @Test
    void theSnapshotCarriesTheClientTableAndPinAndForgetRunAsCommands() throws Exception {
        ApiFixture f = fixture();
        String first = fetch("127.0.0.21", f.engine.port());
        await().atMost(10, TimeUnit.SECONDS).until(() -> client(json(f.get("/api/v1/snapshot")), "127.0.0.21") != null);
        JsonNode snapshot = json(f.get("/api/v1/snapshot"));
        JsonNode c = client(snapshot, "127.0.0.21");
        assertThat(c.get("server").asInt()).isEqualTo(first.equals("a") ? 0 : 1);
        assertThat(c.get("connects").asLong()).isEqualTo(1);
        assertThat(c.get("bytesDown").asLong()).isPositive();
        assertThat(c.get("pinnedServer").asInt()).isEqualTo(-1);
        assertThat(snapshot.get("clientsTruncated").asBoolean()).isFalse();

        int other = first.equals("a") ? 1 : 0;
        JsonNode pin = command(f, "client 127.0.0.21 pin " + other);
        assertThat(pin.get("ok").asBoolean()).isTrue();
        assertThat(fetch("127.0.0.21", f.engine.port())).as("the next connection after the pin").isNotEqualTo(first);
        await().atMost(10, TimeUnit.SECONDS).until(() -> client(json(f.get("/api/v1/snapshot")), "127.0.0.21")
                .get("pinnedServer").asInt() == other);

        JsonNode forget = command(f, "client 127.0.0.21 forget");
        assertThat(forget.get("reply").asText()).isEqualTo("Forgot client 127.0.0.21 (and its pin to server " + other + ")\n");
        await().atMost(10, TimeUnit.SECONDS).until(() -> client(json(f.get("/api/v1/snapshot")), "127.0.0.21") == null);

        JsonNode bad = command(f, "client 127.0.0.21 pin 9");
        assertThat(bad.get("ok").asBoolean()).isFalse();
        assertThat(bad.get("reply").asText()).isEqualTo("client 127.0.0.21 pin: no server 9 (servers are 0-1)");
    }

    @Test
    void aRemoteConsoleSeesTheClientsOverTheStream() throws Exception {
        ApiFixture f = fixture();
        command(f, "client 127.0.0.22 pin 1");
        fetch("127.0.0.22", f.engine.port());
        RemoteConsole remote = resources.keep(new RemoteConsole(f.api.uri(), ApiFixture.TOKEN));
        AtomicReference<Snapshot> seen = new AtomicReference<>();
        resources.keep(remote.subscribe(seen::set));
        await().atMost(15, TimeUnit.SECONDS).until(() -> seen.get() != null && seen.get().clients().stream()
                .anyMatch(c -> c.address().equals("127.0.0.22") && c.connects() == 1));
        ClientView c = seen.get().clients().stream().filter(v -> v.address().equals("127.0.0.22")).findFirst().orElseThrow();
        assertThat(c.pinnedServer()).isEqualTo(1);
        assertThat(c.server()).isEqualTo(1);
    }
}
