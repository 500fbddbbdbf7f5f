package io.jpen.core.api.client.ssh;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshTargetTest {

    @Test
    void aBareHostMeansSshsOwnUserAndPortAndJpensDefaultApiAndTokenFile() {
        SshTarget t = SshTarget.parse("ssh://lb1");
        assertThat(t).isEqualTo(new SshTarget(null, "lb1", -1, "127.0.0.1", 9090, null));
        assertThat(t.display()).isEqualTo("ssh://lb1");
        assertThat(t.address()).isEqualTo("ssh://lb1");
        assertThat(t.forwardDestination()).isEqualTo("127.0.0.1:9090");
    }

    @Test
    void userPortApiAndTokenFileAreTakenAndWrittenBackTheSameWay() {
        SshTarget t = SshTarget.parse("ssh://ops@10.0.0.5:2222?api=9191&token-file=/etc/jpen/api-token");
        assertThat(t).isEqualTo(new SshTarget("ops", "10.0.0.5", 2222, "127.0.0.1", 9191, "/etc/jpen/api-token"));
        assertThat(t.display()).isEqualTo("ssh://ops@10.0.0.5:2222?api=9191");
        assertThat(t.login()).isEqualTo("ssh://ops@10.0.0.5:2222");
        assertThat(SshTarget.parse(t.address())).isEqualTo(t);

        SshTarget v6 = SshTarget.parse("ssh://[::1]:22?api=[::1]:9090&token-file=~/jpen%20token");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.apiHost()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(v6.tokenFile()).isEqualTo("~/jpen token");
        assertThat(v6.forwardDestination()).isEqualTo("[0:0:0:0:0:0:0:1]:9090");
        assertThat(SshTarget.parse(v6.address())).isEqualTo(v6);
    }

    @Test
    void badAddressesAreRefusedByName() {
        assertThatThrownBy(() -> SshTarget.parse("http://lb1:9090")).hasMessageContaining("not an ssh:// address");
        assertThatThrownBy(() -> SshTarget.parse("ssh://")).hasMessageContaining("ssh://[user@]host");
        assertThatThrownBy(() -> SshTarget.parse("ssh://lb1/9090")).hasMessageContaining("?api=PORT");
        assertThatThrownBy(() -> SshTarget.parse("ssh://lb1?api=http")).hasMessageContaining("api=http: 'http' is not a port number");
        assertThatThrownBy(() -> SshTarget.parse("ssh://lb1?api=70000")).hasMessageContaining("api=70000: port 70000 out of range");
        assertThatThrownBy(() -> SshTarget.parse("ssh://lb1?token=abc")).hasMessageContaining("unknown setting 'token'");
        assertThatThrownBy(() -> SshTarget.parse("ssh://-oProxyCommand=x@lb1")).hasMessageContaining("may not start with '-'");
    }

    @Test
    void sshsMessagesBecomeOperatorMessagesOfTheRightKind() {
        SshTarget t = SshTarget.parse("ssh://ops@lb1:2222");
        assertThat(SshFailure.of(t, 255, "No ED25519 host key is known for [lb1]:2222 and you have requested strict checking.\n"
                + "Host key verification failed.\n").kind()).isEqualTo(SshFailure.Kind.UNKNOWN_HOST_KEY);
        SshFailure changed = SshFailure.of(t, 255, "@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @\n"
                + "SHA256:obuRYKa0n0PGb1CujWioZ4MZFazUpOAqcdoL7RrLtrE.\nHost key verification failed.\n");
        assertThat(changed.kind()).isEqualTo(SshFailure.Kind.HOST_KEY_CHANGED);
        assertThat(changed.message()).contains("CHANGED", "SHA256:obuRYKa0n0PGb1CujWioZ4MZFazUpOAqcdoL7RrLtrE)", "ssh-keygen -R [lb1]:2222");
        SshFailure refused = SshFailure.of(t, 255, "ops@lb1: Permission denied (publickey).\n");
        assertThat(refused.kind()).isEqualTo(SshFailure.Kind.LOGIN_REFUSED);
        assertThat(refused.message()).contains("ssh://ops@lb1:2222 refused the SSH login (ops@lb1: Permission denied (publickey))");
        assertThat(SshFailure.of(t, 255, "bind [127.0.0.1]:4000: Address already in use\nCould not request local forwarding.\n").kind())
                .isEqualTo(SshFailure.Kind.LOCAL_PORT_TAKEN);
        SshFailure unreachable = SshFailure.of(t, 255, "ssh: connect to host lb1 port 2222: Connection refused\n");
        assertThat(unreachable.kind()).isEqualTo(SshFailure.Kind.UNREACHABLE);
        assertThat(unreachable.message()).isEqualTo("cannot reach ssh://ops@lb1:2222: connect to host lb1 port 2222: Connection refused");
        assertThat(SshFailure.of(t, 255, "").message()).isEqualTo("ssh to ssh://ops@lb1:2222 failed (exit 255): no message");
    }

    @Test
    void aPathIsQuotedSoAnyLoginShellPassesItUnchanged() {
        assertThat(SshTunnel.shellQuote("/srv/it's here/$HOME")).isEqualTo("'/srv/it'\\''s here/$HOME'");
    }
}
