package io.jpen.core.api;

import io.jpen.core.api.client.ApiClient;
import io.jpen.core.model.Reply;
import io.jpen.core.testing.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client jpenctl uses: one penctl line over the API. */
@Timeout(30)
class ApiClientTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    @Test
    void aCommandLineRunsAndItsReplyComesBackAsPenWouldPrintIt() throws Exception {
        Backend a = new Backend("a", Backend.Mode.NAME);
        resources.add(a);
        ApiFixture f = new ApiFixture(a);
        resources.add(f);
        URI withPath = URI.create(f.api.uri() + "/api/v1/");
        assertThat(ApiClient.command(withPath, ApiFixture.TOKEN, "timeout 7").ok()).isTrue();
        assertThat(ApiClient.command(f.api.uri(), ApiFixture.TOKEN, "timeout")).isEqualTo(Reply.ok("7\n"));
        assertThat(ApiClient.command(f.api.uri(), ApiFixture.TOKEN, "servers").text())
                .isEqualTo("0 addr 127.0.0.1 port " + a.port() + " conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n");
        Reply refused = ApiClient.command(f.api.uri(), ApiFixture.TOKEN, "timeout x");
        assertThat(refused.ok()).isFalse();
        assertThat(refused.text()).contains("'x' is not a number");
        assertThatThrownBy(() -> ApiClient.command(f.api.uri(), "bad", "timeout 1"))
                .isInstanceOf(IOException.class).hasMessageContaining("401").hasMessageContaining("token");
        assertThat(f.engine.settings().timeoutSeconds()).isEqualTo(7);
    }

    @Test
    void anUnreachableApiIsAnIOExceptionAndABadUrlIsNamed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> ApiClient.command(URI.create("http://127.0.0.1:" + port), "t", "servers"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ApiClient.command(URI.create("ftp://127.0.0.1:1"), "t", "servers"))
                .hasMessageContaining("http:// or https://");
    }

    @Test
    void theTokenComesFromTheOptionThenTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "from-file\n");
        assertThat(ApiClient.resolveToken("from-option", file)).isEqualTo("from-option");
        assertThat(ApiClient.resolveToken(null, file)).isEqualTo("from-file");
        assertThat(ApiClient.resolveToken(" ", file)).isEqualTo("from-file");
    }
}
