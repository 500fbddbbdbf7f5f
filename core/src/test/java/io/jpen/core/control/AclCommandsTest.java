package io.jpen.core.control;

import io.jpen.core.model.Reply;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.jpen.core.engine.Engine;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ACL commands (acl, no acl, client_acl, control_acl) from text to effect. */
@Timeout(30)
class AclCommandsTest {
    /** Lines as an operator types them, for an engine with nothing around it. */
    private static final CommandParser OPERATOR = new CommandParser(new Daemon(), FileRoots.ANY);
    @RegisterExtension
    final Resources resources = new Resources();

    private <T extends AutoCloseable> T keep(T r) {
        return resources.keep(r);
    }

    private static Reply run(Engine e, String line) {
        return Engines.penctl(e).execute(line);
    }

    @Test
    void aclCommandsDenyAClientAndNoAclLetsItBackIn() throws IOException {
        Backend a = keep(Backend.named("a"));
        Engine e = keep(Engines.start(s -> s, a));
        assertThat(run(e, "acl 1 deny 127.0.0.2").ok()).isTrue();
        assertThat(run(e, "client_acl 1").ok()).isTrue();
        assertThat(run(e, "client_acl").text()).isEqualTo("1");
        assertThat(fetch("127.0.0.2", e.port())).isEmpty();
        assertThat(fetch("127.0.0.1", e.port())).isEqualTo("a");
        run(e, "no acl 1");
        assertThat(fetch("127.0.0.2", e.port())).isEqualTo("a");
    }

    @Test
    void asInPenClientsAreCheckedAgainstList0ByDefault() throws IOException {
        Backend a = keep(Backend.named("a"));
        Engine e = keep(Engines.start(s -> s, a));
        assertThat(run(e, "client_acl").text()).isEqualTo("0");
        assertThat(fetch("127.0.0.2", e.port())).as("an empty list 0 permits everyone").isEqualTo("a");
        run(e, "acl 0 deny 127.0.0.2");
        assertThat(fetch("127.0.0.2", e.port())).isEmpty();
        assertThat(fetch("127.0.0.1", e.port())).isEqualTo("a");
    }

    @Test
    void serverAclRestrictsAServerToPermittedClients() throws IOException {
        Backend a = keep(Backend.named("a"));
        Backend b = keep(Backend.named("b"));
        Engine e = keep(Engines.start(s -> s.withRoundrobin(true), a, b));
        run(e, "acl 4 permit ::1/128");
        run(e, "server 0 acl 4");
        for (int i = 0; i < 5; i++) assertThat(fetch("127.0.0.1", e.port())).isEqualTo("b");
    }

    @Test
    void controlAclIsStored() {
        Engine e = keep(Engines.start(s -> s));
        run(e, "control_acl 2");
        assertThat(e.settings().controlAcl()).isEqualTo(2);
    }

    @Test
    void malformedAclCommandsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> OPERATOR.parse("acl 10 deny 1.2.3.4")).hasMessageContaining("acl 10 out of range 0-9");
        assertThatThrownBy(() -> OPERATOR.parse("acl 1 deny")).hasMessageContaining("acl takes N permit|deny");
        assertThatThrownBy(() -> OPERATOR.parse("acl x deny 1.2.3.4")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> OPERATOR.parse("acl 1 maybe 1.2.3.4")).hasMessageContaining("neither permit nor deny");
        assertThatThrownBy(() -> OPERATOR.parse("acl 1 permit country SE")).hasMessageContaining("GeoIP");
        assertThatThrownBy(() -> OPERATOR.parse("no acl 12")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> OPERATOR.parse("client_acl 10")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> OPERATOR.parse("control_acl 1 2")).hasMessageContaining("takes one list number");
    }
}
