package io.jpen.core.reliability.fuzz;

import io.jpen.core.testing.Engines;
import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiJson;
import io.jpen.core.api.ApiMessages;
import io.jpen.core.api.ApiServer;
import io.jpen.core.api.ApiToken;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The JSON API over raw TCP. In "api-http" the input is the whole request (request line, headers, body, even
 * WebSocket frames after an upgrade), sent with a wrong token: every request is refused with 401 (or 400/413/414/
 * 431 for a malformed one) and nothing is applied. In "api-json" the input is the body of an authenticated
 * {@code POST /api/v1/command}: the answer is 200 or 400, never a server error, and a command that fails
 * changes nothing. Neither ever gets a 500, a hang, or a dead API.
 */
final class ApiTarget implements FuzzTarget {
    static final String TOKEN = "fuzz-token-0123456789abcdef";
    private final boolean authenticated;
    private final Engine engine;
    private final LocalConsole console;
    private final ApiServer api;

    ApiTarget(boolean authenticated) {
        this.authenticated = authenticated;
        engine = CommandParserTarget.freshEngine();
        engine.start();
        console = new LocalConsole(Engines.penctl(engine), Duration.ofMillis(100), 100);
        api = new ApiServer(console, ApiConfig.of(0, ApiToken.of(TOKEN)).withIdleSeconds(2)).start();
    }

    @Override
    public String name() {
        return authenticated ? "api-json" : "api-http";
    }

    @Override
    public List<String> dictionary() {
        return authenticated
                ? List.of("{", "}", "[", "]", "\"command\"", ":", ",", "\"servers\"", "\"conn_max 5\"", "null", "true",
                        "1e999", "\"\\u0000\"", "\"\\ud800\"", "\"mode\"", "\"blacklist 10\"", "\"server 0 max 3\"")
                : List.of("GET ", "POST ", "PUT ", " HTTP/1.1\r\n", "Host: x\r\n", "Authorization: Bearer " + TOKEN + "x\r\n",
                        "Authorization: Bearer \r\n", "Content-Length: ", "Transfer-Encoding: chunked\r\n",
                        "Connection: Upgrade\r\nUpgrade: websocket\r\n", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
                        "Sec-WebSocket-Version: 13\r\n", "/api/v1/snapshot", "/api/v1/command", "/api/v1/stream",
                        "/metrics", "\r\n\r\n", "\u0081\u0085", "%00", "?x=1", "%zz", "?x=%", "%");
    }

    @Override
    public void check(byte[] input) throws Exception {
        byte[] request = input;
        if (authenticated) {
            // Commands that touch files, bind sockets or stop jpen are not sent: parsed exactly as the API would.
            try {
                ApiMessages.CommandRequest c = ApiJson.readRequest(input, ApiMessages.CommandRequest.class);
                if (c.command() != null && !Guard.executable(c.command())) return;
            } catch (RuntimeException notJson) {
                // the API must reject it too: safe to send
            }
            request = withBody(input);
        }
        String before = EngineFingerprint.of(engine);
        String response = send(request);
        String status = response.length() >= 12 && response.startsWith("HTTP/1.1 ") ? response.substring(9, 12) : "";
        if (status.startsWith("5")) throw new AssertionError("server error: " + firstLine(response));
        InWords.check(response, input);
        if (!authenticated) {
            if (!status.isEmpty() && !List.of("401", "400", "413", "414", "431").contains(status)) {
                throw new AssertionError("a request without the token got " + firstLine(response));
            }
            if (!EngineFingerprint.of(engine).equals(before)) throw new AssertionError("an unauthenticated request changed the state");
        } else {
            if (!status.isEmpty() && !List.of("200", "400", "413").contains(status)) {
                throw new AssertionError("a command request got " + firstLine(response));
            }
            if (!response.contains("\"ok\":true") && !EngineFingerprint.of(engine).equals(before)) {
                throw new AssertionError("a command that was not accepted changed the state: " + response);
            }
        }
    }

    private static byte[] withBody(byte[] body) {
        byte[] head = ("POST /api/v1/command HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static String firstLine(String response) {
        int nl = response.indexOf('\n');
        return nl < 0 ? response : response.substring(0, nl).strip();
    }

    /** Sends the bytes and reads until the API closes; an API that neither answers nor closes is a hang. */
    private String send(byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), api.address().getPort())) {
            s.setSoTimeout(4_500);
            try {
                s.getOutputStream().write(request);
                s.shutdownOutput();
            } catch (IOException e) {
                // refused early (too large): what came back still counts
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = s.getInputStream().read(buf)) >= 0 && out.size() < 1 << 20) out.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the API neither answered in full nor closed; got: "
                        + firstLine(out.toString(StandardCharsets.ISO_8859_1)), e);
            } catch (IOException e) {
                // reset after an answer
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        api.close();
        console.close();
        engine.close();
    }
}
