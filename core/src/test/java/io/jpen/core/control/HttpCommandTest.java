package io.jpen.core.control;

import io.jpen.core.engine.Engine;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.HttpBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class HttpCommandTest {
    @Test
    void httpTurnsForwardingHeadersOnForNewConnectionsAndNoHttpOff() throws Exception {
        try (HttpBackend backend = new HttpBackend("web");
             Engine e = Engines.start(io.jpen.core.engine.EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0),
                     List.of(io.jpen.core.model.ServerSpec.of("127.0.0.1", backend.port())), io.jpen.core.model.Settings.defaults()))) {
            URI uri = URI.create("http://127.0.0.1:" + e.port() + "/");
            assertThat(get(uri)).isEqualTo("web xff=- proto=- body=0");
            assertThat(Engines.penctl(e).execute("http").ok()).isTrue();
            assertThat(e.settings().http()).isTrue();
            assertThat(get(uri)).isEqualTo("web xff=127.0.0.1 proto=http body=0");
            Engines.penctl(e).execute("no http");
            assertThat(get(uri)).isEqualTo("web xff=- proto=- body=0");
        }
    }

    private static String get(URI uri) throws Exception {
        // A new client each time: the setting applies to connections accepted after it changes.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
