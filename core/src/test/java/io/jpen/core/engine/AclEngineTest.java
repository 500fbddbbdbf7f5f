package io.jpen.core.engine;

import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.acl.AclEntry;
import io.jpen.core.acl.Acls;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.HostPort;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;

/** Client ACLs, the abuse server and per-server ACLs over real loopback sockets. */
@Timeout(30)
class AclEngineTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private static void acl(Engine e, int list, String entry) {
        Reply r = e.execute(state -> {
            state.acls(state.acls().plus(list, AclEntry.parse(entry.split(" "))));
            return Reply.EMPTY;
        });
        assertThat(r.ok()).isTrue();
    }

    @Test
    void aClientDeniedByTheClientAclIsRefusedAndOthersStillServed() throws IOException {
        Backend a = keep(Backend.named("a"));
        Engine e = keep(Engines.start(s -> s.withClientAcl(1), a));
        acl(e, 1, "deny 127.0.0.2");
        assertThat(fetch("127.0.0.2", e.port())).isEmpty();
        assertThat(fetch("127.0.0.1", e.port())).isEqualTo("a");
        assertThat(a.accepted()).isEqualTo(1);
        assertThat(e.events().recent()).anyMatch(ev -> ev.message().contains("denied by client_acl 1"));
    }

    @Test
    void aDeniedClientGoesToTheAbuseServerWhenOneIsSet() throws IOException {
        Backend a = keep(Backend.named("a"));
        Backend abuse = keep(Backend.named("abuse"));
        Engine e = keep(Engines.start(s -> s.withClientAcl(3).withAbuse(new HostPort("127.0.0.1", abuse.port())), a));
        acl(e, 3, "permit 127.0.0.1");
        assertThat(fetch("127.0.0.2", e.port())).isEqualTo("abuse");
        assertThat(fetch("127.0.0.1", e.port())).isEqualTo("a");
        assertThat(a.accepted()).isEqualTo(1);
    }

    @Test
    void clearingTheListLetsTheClientInAgain() throws IOException {
        Backend a = keep(Backend.named("a"));
        Engine e = keep(Engines.start(s -> s.withClientAcl(2), a));
        acl(e, 2, "deny 127.0.0.0 255.0.0.0");
        assertThat(fetch("127.0.0.2", e.port())).isEmpty();
        e.execute(state -> {
            state.acls(state.acls().cleared(2));
            return Reply.EMPTY;
        });
        assertThat(fetch("127.0.0.2", e.port())).isEqualTo("a");
    }

    @Test
    void aServerWithAnAclIsUsedOnlyByClientsTheListPermits() throws IOException {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", a.port()).withAcl(5), ServerSpec.of("127.0.0.1", b.port())),
                Settings.defaults().withRoundrobin(true))));
        acl(e, 5, "permit 127.0.0.2");
        for (int i = 0; i < 6; i++) assertThat(fetch("127.0.0.1", e.port())).isEqualTo("b");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) seen.add(fetch("127.0.0.2", e.port()));
        assertThat(seen).contains("a", "b");
    }

    @Test
    void ipv6ClientsAreMatchedByIpv6Lists() throws IOException {
        Backend a = keep(new Backend("a", Backend.Mode.NAME, new InetSocketAddress(InetAddress.getByName("::1"), 0)));
        Engine e = keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("::1", 0),
                List.of(ServerSpec.of("::1", a.port())), Settings.defaults().withClientAcl(6))));
        acl(e, 6, "permit 127.0.0.1");
        // An IPv4 entry never matches ::1, and the list's last word was permit, so ::1 is denied.
        assertThat(fetch6(e.port())).isEmpty();
        e.execute(state -> {
            state.acls(state.acls().cleared(6).plus(6, AclEntry.parse("permit ::1/128".split(" "))));
            return Reply.EMPTY;
        });
        assertThat(fetch6(e.port())).isEqualTo("a");
        e.execute(state -> {
            state.acls(state.acls().cleared(6).plus(6, AclEntry.parse("deny ::/0".split(" "))));
            return Reply.EMPTY;
        });
        assertThat(fetch6(e.port())).isEmpty();
    }

    private static String fetch6(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(InetAddress.getByName("::1"), port), 5_000);
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    @Test
    void replacingTheListsIsAllOrNothing() {
        Engine e = keep(Engines.start(s -> s));
        Acls before = e.acls();
        Reply r = e.execute(state -> {
            state.acls(state.acls().plus(1, AclEntry.parse("deny 1.2.3.4".split(" "))).plus(11, null));
            return Reply.EMPTY;
        });
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).contains("acl 11 out of range");
        assertThat(e.acls()).isEqualTo(before);
    }
}
