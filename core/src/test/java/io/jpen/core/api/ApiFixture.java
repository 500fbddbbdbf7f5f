package io.jpen.core.api;

import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** An engine in front of test backends, its LocalConsole ticking fast, and the API on an ephemeral loopback port. */
final class ApiFixture implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789";
    static final Duration TICK = Duration.ofMillis(50);

    final Engine engine;
    final LocalConsole console;
    final ApiServer api;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    ApiFixture(UnaryOperator<ApiConfig> config, Backend... backends) {
        engine = Engines.start(s -> s, backends);
        console = new LocalConsole(Engines.penctl(engine), TICK, 1000);
        api = new ApiServer(console, config.apply(ApiConfig.of(0, ApiToken.of(TOKEN)))).start();
    }

    ApiFixture(Backend... backends) {
        this(c -> c, backends);
    }

    URI uri(String path) {
        return api.uri().resolve(path);
    }

    HttpResponse<String> send(String method, String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(String method, String path, String body) {
        return send(method, path, body, TOKEN);
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null, TOKEN);
    }

    @Override
    public void close() {
        api.close();
        console.close();
        engine.close();
    }
}
