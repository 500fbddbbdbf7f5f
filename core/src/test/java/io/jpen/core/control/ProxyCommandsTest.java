package io.jpen.core.control;

import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.engine.Protocol;
import io.jpen.core.model.AcceptProxy;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ProxyVersion;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code server N proxy}, {@code accept_proxy [N]} and {@code no accept_proxy}: replies, errors, write and rollback. */
@Timeout(30)
class ProxyCommandsTest {
    @RegisterExtension
    final Resources resources = new Resources();
    @TempDir
    Path dir;

    private Engine engine() throws Exception {
        Backend a = resources.keep(Backend.echo("a"));
        Backend b = resources.keep(Backend.echo("b"));
        return resources.keep(Engines.start(UnaryOperator.identity(), a, b));
    }

    private static Reply run(Engine e, String line) {
        try {
            return Engines.penctl(e).execute(line);
        } catch (IllegalArgumentException bad) {
            return Reply.error(bad.getMessage());
        }
    }

    @Test
    void serversAppendsProxyAfterPensFieldsOnlyForAServerThatHasIt() throws Exception {
        Engine e = engine();
        String pen = run(e, "servers").text();
        assertThat(pen).doesNotContain("proxy");
        assertThat(run(e, "server 1 proxy v2").ok()).isTrue();
        List<String> lines = run(e, "servers").text().lines().toList();
        assertThat(lines.get(0)).isEqualTo(pen.lines().toList().get(0));
        assertThat(lines.get(1)).matches("1 addr 127\\.0\\.0\\.1 port \\d+ conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0 proxy v2");
        assertThat(run(e, "server 1 proxy off").ok()).isTrue();
        assertThat(run(e, "servers").text()).isEqualTo(pen);
    }

    @Test
    void badProxyWordsAreRefusedByNameAndChangeNothing() throws Exception {
        Engine e = engine();
        assertThat(run(e, "server 0 proxy v3").text()).isEqualTo("proxy takes v1, v2 or off, not 'v3'");
        assertThat(run(e, "server 0 weight 3 proxy").text()).isEqualTo("server 0: 'proxy' has no value");
        assertThat(run(e, "accept_proxy 10").text()).isEqualTo("accept_proxy: acl 10 out of range 0-9");
        assertThat(run(e, "accept_proxy any").text()).isEqualTo("accept_proxy: 'any' is not a number");
        assertThat(run(e, "accept_proxy 1 2").text()).isEqualTo("accept_proxy takes at most one ACL number 0-9");
        assertThat(run(e, "no accept_proxy 1").text()).isEqualTo("no accept_proxy takes no arguments");
        assertThat(e.servers().get(0).spec().weight()).isZero();
        assertThat(e.servers().get(0).spec().proxy()).isEqualTo(ProxyVersion.OFF);
        assertThat(e.acceptProxy()).isEqualTo(AcceptProxy.OFF);
    }

    @Test
    void writeSavesBothSettingsAndLoadingTheFileRecreatesThem() throws Exception {
        Engine e = engine();
        for (String c : List.of("acl 3 permit 127.0.0.1", "accept_proxy 3", "server 0 proxy v1", "server 1 proxy v2 weight 2")) {
            assertThat(run(e, c).ok()).as(c).isTrue();
        }
        Path first = dir.resolve("first.pen");
        assertThat(run(e, "write " + first).ok()).isTrue();
        String written = Files.readString(first);
        assertThat(written).contains("\naccept_proxy 3\n")
                .containsPattern("server 0 address 127\\.0\\.0\\.1 port \\d+ max 0 hard 0 weight 0 prio 0 proxy v1\n")
                .containsPattern("server 1 address 127\\.0\\.0\\.1 port \\d+ max 0 hard 0 weight 2 prio 0 proxy v2\n");

        e.close(); // its listen port is in the file; the new engine takes it over
        Engine fresh = engine();
        Reply loaded = Engines.penctl(fresh).load(first);
        assertThat(loaded.ok()).as(loaded.text()).isTrue();
        assertThat(fresh.acceptProxy()).isEqualTo(new AcceptProxy(true, 3));
        assertThat(fresh.servers().get(1).spec().proxy()).isEqualTo(ProxyVersion.V2);
        Path second = dir.resolve("second.pen");
        assertThat(run(fresh, "write " + second).ok()).isTrue();
        assertThat(Files.readString(second)).isEqualTo(written);

        assertThat(run(fresh, "no accept_proxy").ok()).isTrue();
        assertThat(run(fresh, "write " + second).ok()).isTrue();
        assertThat(Files.readString(second)).contains("\nno accept_proxy\n");
    }

    @Test
    void aConfigFileThatFailsLaterUndoesItsAcceptProxyAndServerProxy() throws Exception {
        Engine e = engine();
        Path conf = dir.resolve("bad.pen");
        Files.writeString(conf, "accept_proxy\nserver 0 proxy v2\nserver 9 weight 1\n");
        Reply r = Engines.penctl(e).load(conf);
        assertThat(r.ok()).isFalse();
        assertThat(e.acceptProxy()).isEqualTo(AcceptProxy.OFF);
        assertThat(e.servers().get(0).spec().proxy()).isEqualTo(ProxyVersion.OFF);
    }

    @Test
    void udpModeRefusesBothWithTheReason() throws Exception {
        Engine e = resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", 5353)), Settings.defaults()).withProtocol(Protocol.UDP)));
        assertThat(run(e, "accept_proxy").text()).contains("accept_proxy needs TCP").contains("UDP mode (-U)");
        assertThat(run(e, "server 0 proxy v1").text()).contains("proxy v1 needs TCP");
        assertThat(e.acceptProxy().on()).isFalse();
        assertThat(e.servers().get(0).spec().proxy()).isEqualTo(ProxyVersion.OFF);
    }

    @Test
    void theModelRefusesAnAclOutOfRange() {
        assertThatThrownBy(() -> new AcceptProxy(true, 12)).hasMessageContaining("acl must be 0-9");
        assertThat(new AcceptProxy(false, 3)).isEqualTo(AcceptProxy.OFF);
    }
}
