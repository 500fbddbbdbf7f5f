package io.jpen.headless.ssh;

import io.jpen.core.api.ApiToken;
import io.jpen.core.api.client.ssh.HostKeyQuestion;
import io.jpen.core.api.client.ssh.SshAttachException;
import io.jpen.core.api.client.ssh.SshClient;
import io.jpen.core.api.client.ssh.SshConsole;
import io.jpen.core.api.client.ssh.SshTarget;
import io.jpen.core.api.client.ssh.UnknownHostKey;
import io.jpen.core.model.Reply;
import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code ssh://} attaches against Debian's real OpenSSH server on loopback, in front of a real {@code jpen --api}:
 * the token is read over the SSH connection from jpen's default token file, the API stays on loopback, and every
 * way a login can fail ends with a message that says which.
 */
@Timeout(120)
class SshAttachTest {
    @TempDir
    Path dir;

    private TestSshd sshd;
    private ServerSocket backend;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private JpenChild jpen;
    private int listenPort;
    private SshConsole console;

    @BeforeEach
    void start() throws Exception {
        TestSshd.assumeInstalled();
        sshd = new TestSshd(dir);
        backend = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread accept = new Thread(() -> {
            try {
                while (true) held.add(backend.accept());
            } catch (IOException closed) {
                // test over
            }
        }, "test-backend");
        accept.setDaemon(true);
        accept.start();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            listenPort = s.getLocalPort();
        }
        // no --api-token-file: jpen makes its default one under XDG_CONFIG_HOME, where sshd's sessions look too
        jpen = new JpenChild(Map.of("XDG_CONFIG_HOME", sshd.xdgConfigHome.toString()),
                "--api", "127.0.0.1:0", "127.0.0.1:" + listenPort, "127.0.0.1:" + backend.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        if (console != null) console.close();
        if (jpen != null) jpen.close();
        for (Socket s : held) s.close();
        if (backend != null) backend.close();
        if (sshd != null) sshd.close();
    }

    private SshTarget target() {
        return SshTarget.parse("ssh://" + sshd.user + "@127.0.0.1:" + sshd.port + "?api=" + jpen.api.getPort());
    }

    private SshClient client() {
        return SshClient.system().withConfig(sshd.clientConfig);
    }

    @Test
    void anSshAttachSeesTheRemoteBalancerAndClosesAConnectionThroughIt() throws Exception {
        console = SshConsole.open(target(), client(), HostKeyQuestion.REFUSE);
        String token = ApiToken.read(sshd.xdgConfigHome.resolve("jpen/api-token"));

        try (Socket client = new Socket(InetAddress.getByName("127.0.0.1"), listenPort)) {
            client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            AtomicReference<ConnectionView> seen = new AtomicReference<>();
            await().atMost(20, TimeUnit.SECONDS).until(() -> {
                Snapshot s = console.latest();
                if (s == null) return false;
                s.connections().stream().filter(c -> c.client().endsWith(":" + client.getLocalPort())).findFirst().ifPresent(seen::set);
                return seen.get() != null;
            });
            assertThat(console.connected()).isTrue();
            assertThat(console.target()).isEqualTo("ssh://" + sshd.user + "@127.0.0.1:" + sshd.port + "?api=" + jpen.api.getPort());

            Reply r = console.execute("close " + seen.get().id()).get(20, TimeUnit.SECONDS);
            assertThat(r.ok()).as(r.text()).isTrue();
            client.setSoTimeout(20_000);
            InputStream in = client.getInputStream();
            assertThat(in.read()).as("the client's connection is closed by the remote jpen").isEqualTo(-1);
        }

        // the API and the local end of the tunnel listen on loopback only
        assertThat(listeners(jpen.api.getPort())).isNotEmpty().allMatch(SshAttachTest::loopback);
        assertThat(listeners(console.localPort())).isNotEmpty().allMatch(SshAttachTest::loopback);
        // the token went through the SSH connection and a pipe, never on a command line
        List<String> commandLines = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> p.info().commandLine().ifPresent(commandLines::add));
        assertThat(commandLines).anyMatch(c -> c.contains("ssh") && c.contains(String.valueOf(sshd.port)))
                .noneMatch(c -> c.contains(token));
    }

    @Test
    void theConsoleReconnectsOnItsOwnWhenTheSshConnectionDrops() throws Exception {
        console = SshConsole.open(target(), client(), HostKeyQuestion.REFUSE);
        await().atMost(20, TimeUnit.SECONDS).until(console::connected);
        ProcessHandle ssh = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/ssh")).orElse(false)).findFirst().orElseThrow();
        ssh.destroyForcibly();
        await().atMost(20, TimeUnit.SECONDS).until(() -> !console.connected());
        assertThat(console.lastError()).isNotBlank();
        long before = console.latest().takenMillis();
        await().atMost(40, TimeUnit.SECONDS).until(() -> console.connected() && console.latest().takenMillis() > before);
        Reply r = console.execute("server 0 weight 3").get(20, TimeUnit.SECONDS);
        assertThat(r.ok()).as(r.text()).isTrue();
    }

    @Test
    void anUnknownHostKeyIsShownAndAddedToKnownHostsOnlyWhenTrusted() throws Exception {
        sshd.forgetHostKey();
        String fingerprint = sshd.hostKeyFingerprint();
        assertThatThrownBy(() -> SshConsole.open(target(), client(), HostKeyQuestion.REFUSE))
                .as("with nobody to ask, ssh's refusal stands").isInstanceOf(SshAttachException.class)
                .hasMessageContaining("is not in known_hosts").hasMessageContaining("ssh -p " + sshd.port + " " + sshd.user + "@127.0.0.1");
        List<UnknownHostKey> asked = new ArrayList<>();
        assertThatThrownBy(() -> SshConsole.open(target(), client(), key -> {
            asked.add(key);
            return false;
        })).isInstanceOf(SshAttachException.class).hasMessageContaining("was not trusted").hasMessageContaining(fingerprint);
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).host()).isEqualTo("[127.0.0.1]:" + sshd.port);
        assertThat(asked.get(0).knownHosts()).isEqualTo(sshd.knownHosts);
        assertThat(asked.get(0).fingerprints()).anyMatch(f -> f.equals("ED25519 " + fingerprint));
        assertThat(Files.readString(sshd.knownHosts)).as("nothing added when refused").isEmpty();

        console = SshConsole.open(target(), client(), key -> true);
        await().atMost(20, TimeUnit.SECONDS).until(() -> console.latest() != null);
        assertThat(Files.readString(sshd.knownHosts)).contains("[127.0.0.1]:" + sshd.port + " ssh-ed25519 ")
                .contains(Files.readString(Path.of(sshd.hostKey + ".pub")).split(" ")[1]);
    }

    @Test
    void aChangedHostKeyIsRefusedWithoutAsking() throws Exception {
        sshd.recordWrongHostKey();
        String fingerprint = sshd.hostKeyFingerprint();
        List<UnknownHostKey> asked = new ArrayList<>();
        assertThatThrownBy(() -> SshConsole.open(target(), client(), key -> asked.add(key)))
                .isInstanceOf(SshAttachException.class)
                .hasMessageContaining("host key of ssh://" + sshd.user + "@127.0.0.1:" + sshd.port + " has CHANGED")
                .hasMessageContaining("ssh-keygen -R [127.0.0.1]:" + sshd.port)
                .hasMessageContaining(fingerprint);
        assertThat(asked).isEmpty();
    }

    @Test
    void aRefusedKeyEndsWithAClearMessage() throws Exception {
        sshd.authorizeOnlyOtherKey();
        assertThatThrownBy(() -> SshConsole.open(target(), client(), HostKeyQuestion.REFUSE))
                .isInstanceOf(SshAttachException.class)
                .hasMessageContaining("refused the SSH login")
                .hasMessageContaining("ssh-agent");
    }

    @Test
    void aMissingTokenFileIsNamed() {
        SshTarget t = SshTarget.parse(target().address() + "&token-file=" + dir.resolve("nowhere/api-token"));
        assertThatThrownBy(() -> SshConsole.open(t, client(), HostKeyQuestion.REFUSE))
                .isInstanceOf(SshAttachException.class)
                .hasMessageContaining("no API token file " + dir.resolve("nowhere/api-token"))
                .hasMessageContaining("--api");
    }

    @Test
    void aWrongApiPortSaysNothingAnswersThere() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        SshTarget t = SshTarget.parse("ssh://" + sshd.user + "@127.0.0.1:" + sshd.port + "?api=" + closed);
        console = SshConsole.open(t, client(), HostKeyQuestion.REFUSE);
        await().atMost(20, TimeUnit.SECONDS).until(() -> console.lastError() != null && console.lastError().contains("nothing answers"));
        assertThat(console.connected()).isFalse();
        assertThat(console.lastError()).contains("127.0.0.1:" + closed).contains("--api " + closed);
    }

    /** Listening sockets on {@code port} from /proc/net/tcp and tcp6, as hex local addresses. */
    private static List<String> listeners(int port) throws IOException {
        List<String> out = new ArrayList<>();
        String hexPort = String.format("%04X", port);
        for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(f));
            for (String line : lines.subList(1, lines.size())) {
                String[] cols = line.strip().split("\\s+");
                String[] local = cols[1].split(":");
                if (local[1].equals(hexPort) && cols[3].equals("0A")) out.add(local[0]);
            }
        }
        return out;
    }

    /** 127.0.0.1, ::1, or 127.0.0.1 mapped into IPv6 (a JVM's dual-stack socket), as /proc/net shows them. */
    private static boolean loopback(String hexAddress) {
        return hexAddress.equals("0100007F") || hexAddress.equals("00000000000000000000000001000000")
                || hexAddress.equals("0000000000000000FFFF00000100007F");
    }
}
