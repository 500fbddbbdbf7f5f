package io.jpen.core.api;

import io.jpen.core.testing.Engines;
import io.jpen.core.control.FileRoots;
import io.jpen.core.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A token holder can name files through the API no more than a control port client can. */
@Timeout(60)
class ApiFileAccessTest {
    @TempDir
    Path allowed;
    @TempDir
    Path elsewhere;

    @Test
    void aCommandThroughTheApiReadsAndWritesOnlyInTheNamedDirectories() throws Exception {
        try (Backend b = Backend.echo("b"); ApiFixture f = new ApiFixture(b)) {
            Engines.penctl(f.engine).daemon().fileRoots(FileRoots.of(List.of(allowed)));
            Path secret = Files.writeString(elsewhere.resolve("shadow"), "root:$6$s3cr3t:19000::::::\n");
            HttpResponse<String> r = f.send("POST", "/api/v1/command", "{\"command\":\"include " + secret + "\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"ok\":false", "is outside the directories").doesNotContain("s3cr3t");

            Path victim = Files.writeString(elsewhere.resolve("victim"), "original\n");
            r = f.send("POST", "/api/v1/command", "{\"command\":\"write " + victim + "\"}");
            assertThat(r.body()).contains("\"ok\":false", "is outside the directories");
            assertThat(Files.readString(victim)).isEqualTo("original\n");

            Path inside = allowed.resolve("saved.conf");
            r = f.send("POST", "/api/v1/command", "{\"command\":\"write " + inside + "\"}");
            assertThat(r.body()).contains("\"ok\":true");
            assertThat(Files.readString(inside)).contains("timeout 3");
        }
    }
}
