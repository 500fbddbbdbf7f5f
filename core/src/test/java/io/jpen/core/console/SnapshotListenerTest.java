package io.jpen.core.console;

import io.jpen.core.api.client.ApiClient;
import io.jpen.core.api.ApiJson;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.Snapshot;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Snapshot's listener view: protocol, TLS with its SNI domains, upstream source and the access lists. */
@Timeout(30)
class SnapshotListenerTest {
    @TempDir
    Path dir;

    @Test
    void theSnapshotShowsTlsSourceAndAclsAndSurvivesJson() throws Exception {
        Path sni = Files.createDirectory(dir.resolve("sni"));
        TestCerts.selfSigned(dir, "server", "localhost");
        TestCerts.selfSigned(sni, "a.test", "a.test");
        try (Engine e = Engines.start(s -> s)) {
            for (String c : new String[]{"acl 2 deny 127.0.0.2", "source 127.0.0.1", "ssl_sni_path " + sni,
                    "ssl_key " + dir.resolve("server.key"), "ssl_certificate " + dir.resolve("server.crt")}) {
                assertThat(Engines.penctl(e).execute(c).ok()).as(c).isTrue();
            }
            Snapshot s = new Sampler(e, 10, 10).sample();
            assertThat(s.listener().protocol()).isEqualTo("tcp");
            assertThat(s.listener().tls()).isTrue();
            assertThat(s.listener().tlsDomains()).containsExactly("a.test");
            assertThat(s.listener().source()).isEqualTo("127.0.0.1");
            assertThat(s.listener().transparent()).isFalse();
            assertThat(s.listener().acls()).containsExactly("acl 2 deny 127.0.0.2 255.255.255.255");
            Snapshot back = ApiClient.readSnapshot(ApiJson.writer().writeValueAsString(s));
            assertThat(back.listener()).isEqualTo(s.listener());
        }
    }
}
