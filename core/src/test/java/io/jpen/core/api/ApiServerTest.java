package io.jpen.core.api;

import io.jpen.core.api.client.ApiClient;
import io.jpen.core.control.FileRoots;
import io.jpen.core.control.Daemon;
import io.jpen.core.control.CommandParser;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.fasterxml.jackson.databind.JsonNode;
import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The JSON API over real sockets on loopback, with the JDK's HttpClient. */
@Timeout(60)
class ApiServerTest {
    /** Lines as an operator types them, for an engine with nothing around it. */
    private static final CommandParser OPERATOR = new CommandParser(new Daemon(), FileRoots.ANY);
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return ApiJson.lenient().readTree(r.body());
    }

    private static Snapshot snapshot(ApiFixture f) throws IOException {
        HttpResponse<String> r = f.get("/api/v1/snapshot");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiClient.readSnapshot(r.body());
    }

    private ApiFixture fixture(Backend... backends) {
        ApiFixture f = keep(new ApiFixture(backends));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.console.latest() != null);
        return f;
    }

    @Test
    void aLiveConnectionShowsUpInTheSnapshotAndClosingItThroughTheApiEndsIt() throws Exception {
        Backend hold = keep(new Backend("hold", Backend.Mode.HOLD));
        ApiFixture f = fixture(hold);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), f.engine.port())) {
            client.setSoTimeout(10_000);
            String local = client.getLocalSocketAddress().toString();
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshot(f).connections().stream()
                    .anyMatch(c -> c.client().endsWith(":" + client.getLocalPort()) && c.state().equals("established")));
            ConnectionView c = snapshot(f).connections().stream()
                    .filter(v -> v.client().endsWith(":" + client.getLocalPort())).findFirst().orElseThrow();
            assertThat(c.server()).isEqualTo(0);
            assertThat(local).endsWith(":" + client.getLocalPort());

            HttpResponse<String> r = f.send("DELETE", "/api/v1/connections/" + c.id(), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).get("ok").asBoolean()).isTrue();
            assertThat(client.getInputStream().read()).as("the client sees EOF").isEqualTo(-1);

            long after = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Snapshot s = snapshot(f);
                return s.takenMillis() > after && s.connections().stream().noneMatch(v -> v.id() == c.id());
            });
            HttpResponse<String> again = f.send("POST", "/api/v1/connections/" + c.id(), null);
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(json(again).get("reply").asText()).contains("no connection " + c.id());
        }
    }

    @Test
    void closingSeveralConnectionsClosesThoseThatExistAndNamesTheMissing() throws Exception {
        Backend hold = keep(new Backend("hold", Backend.Mode.HOLD));
        ApiFixture f = fixture(hold);
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), f.engine.port());
                s.setSoTimeout(10_000);
                clients.add(s);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.connections().size() == 3);
            List<Integer> ids = f.engine.connections().all().stream().map(c -> c.id()).sorted().toList();
            HttpResponse<String> r = f.send("POST", "/api/v1/connections/close",
                    "{\"ids\":[" + ids.get(0) + "," + ids.get(1) + ",999]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode n = json(r);
            assertThat(n.get("closed").toString()).isEqualTo("[" + ids.get(0) + "," + ids.get(1) + "]");
            assertThat(n.get("missing").toString()).isEqualTo("[999]");
            await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.connections().size() == 1);
            assertThat(f.engine.connections().get(ids.get(2))).as("the third stays open").isNotNull();
        } finally {
            for (Socket s : clients) s.close();
        }
    }

    @Test
    void connectionsArePagedInIdOrderWithTheTotalCount() throws Exception {
        Backend hold = keep(new Backend("hold", Backend.Mode.HOLD));
        ApiFixture f = fixture(hold);
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) clients.add(new Socket(InetAddress.getLoopbackAddress(), f.engine.port()));
            await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.connections().size() == 5);
            HttpResponse<String> r = f.get("/api/v1/connections?offset=1&limit=2");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode n = json(r);
            assertThat(n.get("version").asInt()).isEqualTo(1);
            assertThat(n.get("total").asInt()).isEqualTo(5);
            assertThat(n.get("connections")).hasSize(2);
            int first = n.get("connections").get(0).get("id").asInt();
            int second = n.get("connections").get(1).get("id").asInt();
            assertThat(second).isGreaterThan(first);
            JsonNode all = json(f.get("/api/v1/connections"));
            assertThat(all.get("connections").get(1).get("id").asInt()).isEqualTo(first);
        } finally {
            for (Socket s : clients) s.close();
        }
    }

    @Test
    void commandsRunInPenctlsLanguageAndAnswerAsPenWould() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        HttpResponse<String> r = f.send("POST", "/api/v1/command", "{\"command\":\"blacklist 17\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("ok").asBoolean()).isTrue();
        assertThat(f.engine.settings().blacklistSeconds()).isEqualTo(17);
        JsonNode read = json(f.send("POST", "/api/v1/command", "{\"command\":\"blacklist\"}"));
        assertThat(read.get("reply").asText()).isEqualTo("17\n");
        assertThat(read.get("version").asInt()).isEqualTo(1);
        JsonNode bad = json(f.send("POST", "/api/v1/command", "{\"command\":\"frobnicate\"}"));
        assertThat(bad.get("ok").asBoolean()).isFalse();
        assertThat(bad.get("reply").asText()).contains("frobnicate");
    }

    @Test
    void settingsChangeAllOrNothing() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        HttpResponse<String> ok = f.send("PUT", "/api/v1/settings", "{\"roundrobin\":true,\"blacklistSeconds\":5,\"hash\":false}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(f.engine.settings().roundrobin()).isTrue();
        assertThat(f.engine.settings().blacklistSeconds()).isEqualTo(5);

        HttpResponse<String> more = f.send("PUT", "/api/v1/settings",
                "{\"fastClose\":\"both\",\"idleTimeoutSeconds\":9,\"tcpNodelay\":true,\"pendingMax\":50}");
        assertThat(more.statusCode()).as(more.body()).isEqualTo(200);
        assertThat(f.engine.settings().fastClose()).isEqualTo(io.jpen.core.model.FastClose.BOTH);
        assertThat(f.engine.settings().idleTimeoutSeconds()).isEqualTo(9);
        assertThat(f.engine.settings().tcpNodelay()).isTrue();
        assertThat(f.engine.settings().pendingMax()).isEqualTo(50);
        HttpResponse<String> badWord = f.send("PUT", "/api/v1/settings", "{\"fastClose\":\"up down\"}");
        assertThat(badWord.statusCode()).isEqualTo(400);
        assertThat(badWord.body()).contains("fastClose");

        HttpResponse<String> refused = f.send("PUT", "/api/v1/settings", "{\"roundrobin\":false,\"clientsMax\":0}");
        // The parser refuses a value below the minimum: bad input, so 400, and nothing of the request applied.
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("clients_max");
        HttpResponse<String> unknownWord = f.send("PUT", "/api/v1/settings", "{\"roundrobin\":false,\"fastClose\":\"sideways\"}");
        assertThat(unknownWord.statusCode()).as(unknownWord.body()).isEqualTo(400);
        assertThat(unknownWord.body()).contains("sideways");
        assertThat(f.engine.settings().roundrobin()).as("the first half was rolled back").isTrue();
        assertThat(f.engine.settings().clientsMax()).isEqualTo(2048);
    }

    @Test
    void theHashMethodIsSetThroughTheSettingsAndTheRoleAndHashMethodShowInTheSnapshot() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        HttpResponse<String> ok = f.send("PUT", "/api/v1/settings", "{\"hashMethod\":\"maglev\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(f.engine.settings().hashMethod()).isEqualTo(io.jpen.core.model.HashMethod.MAGLEV);
        HttpResponse<String> role = f.send("POST", "/api/v1/command", "{\"command\":\"role backup\"}");
        assertThat(json(role).get("ok").asBoolean()).as(role.body()).isTrue();

        HttpResponse<String> bad = f.send("PUT", "/api/v1/settings", "{\"hash\":true,\"hashMethod\":\"ring\"}");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).isEqualTo("hash_method takes modulo or maglev, not 'ring'");
        assertThat(f.send("PUT", "/api/v1/settings", "{\"hashMethod\":\"maglev exit\"}").statusCode()).isEqualTo(400);
        assertThat(f.engine.settings().hash()).as("nothing of a refused change applied").isFalse();

        await().atMost(Duration.ofSeconds(10)).until(() -> snapshot(f).role().role().equals("backup"));
        JsonNode s = json(f.get("/api/v1/snapshot"));
        assertThat(s.get("settings").get("hashMethod").asText()).isEqualTo("MAGLEV");
        assertThat(s.get("role").get("role").asText()).isEqualTo("backup");
        assertThat(s.get("role").get("sinceMillis").asLong()).isEqualTo(f.engine.role().sinceMillis());
    }

    @Test
    void aSettingsChangeThatFailsHalfWayIsRolledBackInTheEngine() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        io.jpen.core.engine.Command failing = state -> {
            throw new IllegalArgumentException("refused after the first part");
        };
        io.jpen.core.model.Reply r = f.engine.execute(ApiHandler.allOrNothing(List.of(
                OPERATOR.parse("roundrobin"),
                OPERATOR.parse("blacklist 3"), failing)));
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).isEqualTo("refused after the first part");
        assertThat(f.engine.settings()).isEqualTo(io.jpen.core.model.Settings.defaults());
    }

    @Test
    void serversChangeThroughPutAndAMissingServerIsRefused() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        HttpResponse<String> r = f.send("PUT", "/api/v1/servers/0", "{\"weight\":3,\"soft\":10,\"hard\":20,\"prio\":2}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var spec = f.engine.servers().get(0).spec();
        assertThat(List.of(spec.weight(), spec.soft(), spec.hard(), spec.prio())).containsExactly(3, 10, 20, 2);

        HttpResponse<String> missing = f.send("PUT", "/api/v1/servers/9", "{\"weight\":3}");
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(missing.body()).contains("no server 9");

        HttpResponse<String> sneaky = f.send("PUT", "/api/v1/servers/0", "{\"address\":\"1.2.3.4 port 1\"}");
        assertThat(sneaky.statusCode()).isEqualTo(400);
        assertThat(sneaky.body()).contains("address");
        assertThat(f.engine.servers().get(0).spec().host()).isEqualTo("127.0.0.1");
    }

    private static final String[][] ENDPOINTS = {
            {"GET", "/api/v1/snapshot", null},
            {"GET", "/api/v1/connections", null},
            {"POST", "/api/v1/command", "{\"command\":\"blacklist 99\"}"},
            {"POST", "/api/v1/connections/0", null},
            {"DELETE", "/api/v1/connections/0", null},
            {"POST", "/api/v1/connections/close", "{\"ids\":[0]}"},
            {"PUT", "/api/v1/settings", "{\"blacklistSeconds\":99}"},
            {"PUT", "/api/v1/servers/0", "{\"weight\":99}"},
            {"GET", "/api/v1/stream", null},
            {"GET", "/metrics", null},
            {"GET", "/api/v1/no-such-thing", null},
            {"GET", "/", null},
    };

    @Test
    void everyEndpointAnswers401WithoutOrWithAWrongTokenAndChangesNothing() throws Exception {
        Backend hold = keep(new Backend("hold", Backend.Mode.HOLD));
        ApiFixture f = fixture(hold);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), f.engine.port())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.connections().size() == 1);
            for (String token : new String[]{null, "wrong", ApiFixture.TOKEN + "x", ApiFixture.TOKEN.substring(1), ""}) {
                for (String[] e : ENDPOINTS) {
                    HttpResponse<String> r = f.send(e[0], e[1], e[2], token);
                    assertThat(r.statusCode()).as(e[0] + " " + e[1] + " with token " + token).isEqualTo(401);
                    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"jpen\"");
                    assertThat(r.body()).contains("token");
                }
            }
            assertThat(f.engine.settings().blacklistSeconds()).isEqualTo(30);
            assertThat(f.engine.servers().get(0).spec().weight()).isEqualTo(0);
            assertThat(f.engine.connections().size()).as("no connection was closed").isEqualTo(1);
        }
        for (String token : new String[]{null, "wrong"}) {
            WebSocket.Builder b = f.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
            if (token != null) b.header("Authorization", "Bearer " + token);
            CompletableFuture<WebSocket> ws = b.buildAsync(f.uri("/api/v1/stream").resolve("/api/v1/stream")
                    .toString().replace("http://", "ws://").transform(java.net.URI::create), new WebSocket.Listener() {});
            assertThatThrownBy(() -> ws.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(t -> assertThat(((WebSocketHandshakeException) t.getCause()).getResponse().statusCode()).isEqualTo(401));
        }
        assertThat(f.api.streamClients()).isZero();
    }

    @Test
    void malformedRequestsGet400WithAMessageNamingTheProblem() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        assertBad(f, "POST", "/api/v1/command", "{\"command\":", "malformed JSON");
        assertBad(f, "POST", "/api/v1/command", "{\"comand\":\"servers\"}", "unknown field 'comand'");
        assertBad(f, "POST", "/api/v1/command", "{}", "'command' is required");
        assertBad(f, "POST", "/api/v1/command", "{\"command\":5}", "'command'");
        assertBad(f, "POST", "/api/v1/command", "[1,2]", "JSON object");
        assertBad(f, "POST", "/api/v1/command", "{\"command\":\"servers\"} trailing", "");
        assertBad(f, "POST", "/api/v1/command", "", "JSON body");
        assertBad(f, "PUT", "/api/v1/settings", "{\"blacklistSeconds\":\"ten\"}", "blacklistSeconds");
        assertBad(f, "PUT", "/api/v1/settings", "{\"blacklistSeconds\":1.5}", "not a whole number");
        assertBad(f, "PUT", "/api/v1/settings", "{\"emergency\":\"x:1\"}", "unknown field 'emergency'");
        assertBad(f, "PUT", "/api/v1/settings", "{}", "names no field");
        assertBad(f, "PUT", "/api/v1/servers/x", "{\"weight\":1}", "'x' is not a server number");
        assertBad(f, "PUT", "/api/v1/servers/0", "{\"weight\":-1}", "weight: -1 is below the minimum 0");
        assertBad(f, "POST", "/api/v1/connections/close", "{\"ids\":[]}", "ids");
        assertBad(f, "POST", "/api/v1/connections/close", "{\"ids\":[\"a\"]}", "ids");
        assertBad(f, "GET", "/api/v1/connections?limit=0", null, "limit");
        assertBad(f, "GET", "/api/v1/connections?offset=x", null, "offset");
        assertBad(f, "GET", "/api/v1/connections?page=2", null, "unknown parameter 'page'");
        assertBad(f, "GET", "/api/v1/stream", null, "WebSocket");
        String noKey = raw(f, "GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ApiFixture.TOKEN
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(noKey).startsWith("HTTP/1.1 400").contains("bad WebSocket upgrade");
        for (String target : List.of("/api/v1/snapshot?x=%zz", "/metrics?x=%zz", "/api/v1/%zz", "/api/v1/snapshot?x=%")) {
            String badEscape = raw(f, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                    + ApiFixture.TOKEN + "\r\n\r\n");
            assertThat(badEscape).as(target).startsWith("HTTP/1.1 400").contains("malformed request target: ")
                    .doesNotContain("java.", "Exception");
        }
        assertThat(raw(f, "GET /api/v1/snapshot?x=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                + ApiFixture.TOKEN + "\r\n\r\n")).contains("invalid hex byte 'zz'");
        String oldVersion = raw(f, "GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ApiFixture.TOKEN
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 5\r\n\r\n");
        assertThat(oldVersion).startsWith("HTTP/1.1 426");
        await().atMost(Duration.ofSeconds(10)).until(() -> f.api.streamClients() == 0);
        HttpResponse<String> wrongMethod = f.send("GET", "/api/v1/command", null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
        assertThat(f.send("GET", "/api/v1/nothing", null).statusCode()).isEqualTo(404);
        assertThat(f.engine.settings()).isEqualTo(io.jpen.core.model.Settings.defaults());
    }

    private static void assertBad(ApiFixture f, String method, String path, String body, String expected) throws IOException {
        HttpResponse<String> r = f.send(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + " " + body + " -> " + r.body()).isEqualTo(400);
        JsonNode n = json(r);
        assertThat(n.get("version").asInt()).isEqualTo(1);
        assertThat(n.get("error").asText()).contains(expected);
    }

    @Test
    void oversizedBodiesAndHeadersAreRefusedWithoutHarm() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = keep(new ApiFixture(c -> c.withMaxBodyBytes(1024).withMaxHeaderBytes(1024), a));
        HttpResponse<String> big = f.send("POST", "/api/v1/command", "{\"command\":\"" + "x".repeat(5000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("larger than 1024 bytes");
        String raw = raw(f, "GET /api/v1/snapshot HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ApiFixture.TOKEN
                + "\r\nX-Pad: " + "y".repeat(4000) + "\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 431");
        assertThat(f.get("/api/v1/connections").statusCode()).isEqualTo(200);
    }

    @Test
    void streamClientsBeyondTheLimitAreTurnedAway() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = keep(new ApiFixture(c -> c.withMaxStreamClients(2), a));
        List<WebSocket> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) open.add(openStream(f, new LinkedBlockingQueue<>()).get(10, TimeUnit.SECONDS));
        CompletableFuture<WebSocket> third = openStream(f, new LinkedBlockingQueue<>());
        assertThatThrownBy(() -> third.get(10, TimeUnit.SECONDS))
                .satisfies(t -> assertThat(((WebSocketHandshakeException) t.getCause()).getResponse().statusCode()).isEqualTo(503));
        open.get(0).abort();
        await().atMost(Duration.ofSeconds(10)).until(() -> f.api.streamClients() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                open.add(openStream(f, new LinkedBlockingQueue<>()).get(10, TimeUnit.SECONDS));
                return true;
            } catch (java.util.concurrent.ExecutionException slotNotYetFree) {
                return false;
            }
        });
        for (WebSocket w : open) w.abort();
    }

    @Test
    void connectionsBeyondTheLimitAreTurnedAwayUntilOneCloses() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = keep(new ApiFixture(c -> c.withMaxStreamClients(1).withMaxConnections(2), a));
        // The places are held by clients that showed the token (strangers would be pushed out: ApiLockoutTest).
        String authenticated = "GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ApiFixture.TOKEN + "\r\n\r\n";
        try (Socket one = new Socket(InetAddress.getLoopbackAddress(), f.api.address().getPort());
             Socket two = new Socket(InetAddress.getLoopbackAddress(), f.api.address().getPort())) {
            for (Socket s : new Socket[]{one, two}) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(authenticated.getBytes(StandardCharsets.US_ASCII));
                byte[] head = new byte[12];
                assertThat(s.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
                assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 404");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> raw(f, "GET /api/v1/snapshot HTTP/1.1\r\n\r\n")
                    .startsWith("HTTP/1.1 503"));
            assertThat(raw(f, "")).contains("too many API connections (limit 2)");
            one.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> f.get("/api/v1/snapshot").statusCode() == 200);
            assertThat(two.isClosed()).isFalse();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        String auth = "Authorization: Bearer " + ApiFixture.TOKEN + "\r\n";
        StringBuilder req = new StringBuilder();
        for (String body : new String[]{"{\"command\":\"blacklist 5\"}", "{\"command\":\"blacklist\"}",
                "{\"command\":\"blacklist 6\"}", "{\"command\":\"blacklist\"}"}) {
            req.append("POST /api/v1/command HTTP/1.1\r\nHost: x\r\n").append(auth)
                    .append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        }
        req.append("GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\n").append(auth).append("Connection: close\r\n\r\n");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), f.api.address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            List<String> bodies = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"version\":1,[^}]*}").matcher(all);
            while (m.find()) bodies.add(m.group());
            assertThat(bodies).containsExactly(
                    "{\"version\":1,\"ok\":true,\"reply\":\"5\\n\"}",
                    "{\"version\":1,\"ok\":true,\"reply\":\"5\\n\"}",
                    "{\"version\":1,\"ok\":true,\"reply\":\"6\\n\"}",
                    "{\"version\":1,\"ok\":true,\"reply\":\"6\\n\"}",
                    "{\"version\":1,\"error\":\"no such endpoint: /api/v1/nothing\"}");
        }
    }

    @Test
    void anIdleConnectionIsClosedByTheApi() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = keep(new ApiFixture(c -> c.withIdleSeconds(1), a));
        try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), f.api.address().getPort())) {
            idle.setSoTimeout(20_000);
            assertThat(idle.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void theStreamPushesASnapshotEveryTick() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket ws = openStream(f, messages).get(10, TimeUnit.SECONDS);
        List<Snapshot> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String m = messages.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            seen.add(ApiClient.readSnapshot(m));
        }
        assertThat(seen).extracting(Snapshot::version).containsOnly(1);
        assertThat(seen.get(2).takenMillis()).isGreaterThanOrEqualTo(seen.get(0).takenMillis());
        assertThat(seen.get(0).servers()).hasSize(1);
        ws.abort();
    }

    private static CompletableFuture<WebSocket> openStream(ApiFixture f, LinkedBlockingQueue<String> into) {
        return f.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN)
                .buildAsync(java.net.URI.create(f.api.uri().toString().replace("http://", "ws://") + "/api/v1/stream"),
                        new WebSocket.Listener() {
                            private final StringBuilder b = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                b.append(data);
                                if (last) {
                                    into.add(b.toString());
                                    b.setLength(0);
                                }
                                w.request(1);
                                return null;
                            }
                        });
    }

    /** Writes raw bytes and returns what comes back until the server closes (or 5 s pass). */
    private static String raw(ApiFixture f, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), f.api.address().getPort())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder b = new StringBuilder();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    if (b.indexOf("\r\n\r\n") >= 0 && b.toString().contains("Connection: close") == false
                            && b.toString().contains("connection: close") == false) break;
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException done) {
                // whatever arrived is the answer
            }
            return b.toString();
        }
    }

    @Test
    void theApiKeepsServingOthersDuringAndAfterAFloodOfBadRequests() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        String[] garbage = {
                "\u0000\u0001\u0002 not http at all\r\n\r\n",
                "GET /api/v1/snapshot HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /api/v1/command HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ApiFixture.TOKEN
                        + "\r\nContent-Length: 9\r\n\r\n{{{{{{{{{",
                "POST /api/v1/command HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ApiFixture.TOKEN
                        + "\r\nContent-Length: 99999999\r\n\r\n{",
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n\r\n",
                "GET /api/v1/snapshot HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n\r\n",
        };
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger sent = new AtomicInteger();
        List<Future<?>> flood = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            flood.add(pool.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    try {
                        raw(f, garbage[i % garbage.length]);
                    } catch (IOException refused) {
                        // a reset is an acceptable answer to garbage
                    }
                    sent.incrementAndGet();
                }
                return null;
            }));
        }
        int good = 0;
        while (flood.stream().anyMatch(x -> !x.isDone())) {
            HttpResponse<String> r = f.get("/api/v1/snapshot");
            assertThat(r.statusCode()).as("a good client during the flood").isEqualTo(200);
            good++;
        }
        for (Future<?> x : flood) x.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(sent.get()).isEqualTo(300);
        assertThat(good).isPositive();
        assertThat(f.get("/api/v1/snapshot").statusCode()).isEqualTo(200);
        assertThat(f.send("POST", "/api/v1/command", "{\"command\":\"blacklist 3\"}").statusCode()).isEqualTo(200);
        assertThat(f.engine.settings().blacklistSeconds()).isEqualTo(3);
    }

    @Test
    void ipv6AndLoopbackBindsAreParsedAndBadOnesNamed() throws Exception {
        assertThat(ApiConfig.parseBind("9090").getAddress().isLoopbackAddress()).isTrue();
        assertThat(ApiConfig.parseBind("127.0.0.1:0").getPort()).isZero();
        assertThat(ApiConfig.parseBind("[::1]:9091").getAddress().getHostAddress()).contains(":");
        assertThatThrownBy(() -> ApiConfig.parseBind("::1:9091")).hasMessageContaining("[addr]:port");
        assertThatThrownBy(() -> ApiConfig.parseBind("host:http")).hasMessageContaining("'http' is not a port");
        assertThatThrownBy(() -> ApiConfig.parseBind("70000")).hasMessageContaining("out of range");
    }

    @Test
    void aSecondApiOnATakenPortFailsWithAClearMessage() throws Exception {
        Backend a = keep(Backend.named("a"));
        ApiFixture f = fixture(a);
        ApiServer second = new ApiServer(f.console, ApiConfig.of(f.api.address().getPort(), ApiToken.of("t")));
        assertThatThrownBy(second::start).hasMessageContaining("cannot listen for the API on");
    }

}
