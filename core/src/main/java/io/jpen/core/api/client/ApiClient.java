package io.jpen.core.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpen.core.api.ApiJson;
import io.jpen.core.api.ApiMessages.CommandRequest;
import io.jpen.core.api.ApiMessages.CommandResponse;
import io.jpen.core.api.ApiToken;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Snapshot;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A small client of the API for jpenctl and {@link io.jpen.core.api.client.RemoteConsole}: runs penctl command lines
 * and reads snapshots over HTTP(S) with the JDK's HttpClient.
 */
public final class ApiClient {
    /** How long a request or the stream's opening may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final String token;
    private final HttpClient http;

    /**
     * @param base  the API's base URL, e.g. {@code http://127.0.0.1:9090} (a trailing {@code /api/v1} is allowed)
     * @param token the bearer token
     * @param tls   the SSL context for https (e.g. {@link ApiTls#trusting}), or null for the JDK's default trust
     */
    public ApiClient(URI base, String token, SSLContext tls) {
        this.base = normalize(base);
        this.token = token;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1);
        if (tls != null) b.sslContext(tls);
        this.http = b.build();
    }

    public ApiClient(URI base, String token) {
        this(base, token, null);
    }

    /**
     * For jpenctl: runs one penctl line on the balancer at {@code url} and returns its reply. A reply with
     * {@code ok() == false} is the balancer refusing the command (the text says why); an IOException means the
     * API could not be reached or refused the request (401: wrong token).
     */
    public static Reply command(URI url, String token, String line) throws IOException, InterruptedException {
        return new ApiClient(url, token).command(line);
    }

    /** As {@link #command(URI, String, String)}, over https trusting the given context. */
    public static Reply command(URI url, String token, String line, SSLContext tls) throws IOException, InterruptedException {
        return new ApiClient(url, token, tls).command(line);
    }

    /**
     * The token a client should use: {@code token} if given, else the first line of {@code tokenFile} if given,
     * else the environment's {@code JPEN_TOKEN}; null when none is set.
     */
    public static String resolveToken(String token, Path tokenFile) {
        if (token != null && !token.isBlank()) return token.strip();
        if (tokenFile != null) return ApiToken.read(tokenFile);
        String env = System.getenv(ApiToken.ENV);
        return env == null || env.isBlank() ? null : env.strip();
    }

    public URI base() {
        return base;
    }

    public Reply command(String line) throws IOException, InterruptedException {
        try {
            return commandAsync(line).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    public CompletableFuture<Reply> commandAsync(String line) {
        HttpRequest req = request("command")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ApiJson.write(new CommandRequest(line))))
                .build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            check(r);
            CommandResponse c = read(r.body(), CommandResponse.class);
            return new Reply(c.ok(), c.reply() == null ? "" : c.reply());
        });
    }

    /** {@code GET /api/v1/connections/N}: empty when the balancer knows no such connection (404). */
    public CompletableFuture<java.util.Optional<io.jpen.core.model.ConnectionDetail>> connectionAsync(int id) {
        HttpRequest req = request("connections/" + id).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() == 404) return java.util.Optional.<io.jpen.core.model.ConnectionDetail>empty();
            check(r);
            return java.util.Optional.of(read(r.body(), io.jpen.core.model.ConnectionDetail.class));
        });
    }

    public Snapshot snapshot() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request("snapshot").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            check(r);
        } catch (CompletionException e) {
            throw (IOException) e.getCause();
        }
        return read(r.body(), Snapshot.class);
    }

    HttpRequest.Builder request(String endpoint) {
        return HttpRequest.newBuilder(base.resolve("/api/v1/" + endpoint)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + (token == null ? "" : token));
    }

    /** Turns an HTTP error into an IOException carrying the API's own error message. */
    private static void check(HttpResponse<byte[]> r) {
        if (r.statusCode() == 200) return;
        String message = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            JsonNode n = ApiJson.lenient().readTree(r.body());
            if (n != null && n.hasNonNull("error")) message = n.get("error").asText();
            else if (n != null && n.hasNonNull("reply")) message = n.get("reply").asText();
        } catch (IOException notJson) {
            // keep the raw text
        }
        throw new CompletionException(new IOException("API " + r.uri().getPath() + " answered " + r.statusCode() + ": " + message));
    }

    static <T> T read(byte[] body, Class<T> type) {
        try {
            return ApiJson.lenient().readValue(body, type);
        } catch (IOException e) {
            throw new CompletionException(new IOException("unreadable " + type.getSimpleName() + " from the API: "
                    + ApiJson.whatIsWrong(e, type, "the answer"), e));
        }
    }

    private static URI normalize(URI u) {
        String s = u.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        if (s.endsWith("/api/v1")) s = s.substring(0, s.length() - "/api/v1".length());
        URI n = URI.create(s);
        if (!"http".equals(n.getScheme()) && !"https".equals(n.getScheme())) {
            throw new IllegalArgumentException("API URL must start with http:// or https://, not '" + u + "'");
        }
        if (n.getHost() == null) throw new IllegalArgumentException("API URL '" + u + "' has no host");
        return n;
    }

    /** Opens the snapshot stream; each text message is one Snapshot as JSON (read it with {@link #readSnapshot}). */
    public CompletableFuture<java.net.http.WebSocket> openStream(java.net.http.WebSocket.Listener listener) {
        return http.newWebSocketBuilder().connectTimeout(TIMEOUT)
                .header("Authorization", "Bearer " + (token == null ? "" : token))
                .buildAsync(streamUri(), listener);
    }

    public static Snapshot readSnapshot(String json) throws IOException {
        return ApiJson.lenient().readValue(json, Snapshot.class);
    }

    /** The WebSocket URL of the snapshot stream. */
    URI streamUri() {
        String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + base.toString().substring(base.getScheme().length()) + "/api/v1/stream");
    }
}
