package io.jpen.core.api;

import io.jpen.core.control.ControlServer;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every operator action goes through the one door (Penctl) and is recorded as an event of kind "action" that says
 * where it came from and how it was answered: seen here in the snapshot, for a line over the real control port
 * and for API requests.
 */
@Timeout(60)
class ActionEventsTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private static String penctl(int port, String line) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static List<String> actions(Snapshot s) {
        return s.events().stream().filter(e -> e.kind().equals("action")).map(Snapshot.EventView::message).toList();
    }

    @Test
    void aPenctlLineAndApiRequestsShowUpInTheSnapshotsEventsWithWhereTheyCameFromAndTheirReply() throws Exception {
        Backend backend = resources.keep(Backend.echo("b"));
        ApiFixture f = resources.keep(new ApiFixture(backend));
        ControlServer control = resources.keep(ControlServer.start(Engines.penctl(f.engine),
                new Endpoint.Tcp("127.0.0.1", 0), null));

        assertThat(penctl(control.port(), "server 0 weight 3")).isEmpty();
        assertThat(penctl(control.port(), "mode roundrobin")).isNotEmpty()
                .as("an error reply, so the event says so");
        HttpResponse<String> ok = f.send("POST", "/api/v1/command", "{\"command\":\"timeout 7\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        HttpResponse<String> bad = f.send("POST", "/api/v1/command", "{\"command\":\"timeout x\"}");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(200);
        HttpResponse<String> settings = f.send("PUT", "/api/v1/settings", "{\"roundrobin\":true}");
        assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(actions(f.console.latest())).containsSubsequence(
                "penctl: server 0 weight 3 -> ok",
                "penctl: mode roundrobin -> error: mode takes no arguments",
                "API: timeout 7 -> ok",
                "API: timeout x -> error: timeout: 'x' is not a number",
                "API: roundrobin -> ok"));
        assertThat(String.join("\n", actions(f.console.latest()))).doesNotContain("Exception").doesNotContain("io.jpen");
    }
}
