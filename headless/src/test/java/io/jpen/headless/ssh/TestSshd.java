package io.jpen.headless.ssh;

import io.jpen.core.testing.ChildProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's OpenSSH server as a child process on a free loopback port, with everything in one temporary folder:
 * a throwaway host key, a throwaway client key, authorized_keys, known_hosts and the client's ssh_config. The
 * real ~/.ssh and /etc/ssh are never read or written (the client gets {@code -F}, the server {@code -f}).
 */
final class TestSshd implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    final Path dir;
    final Path hostKey;
    final Path clientKey;
    final Path otherKey;
    final Path authorizedKeys;
    final Path knownHosts;
    final Path clientConfig;
    final Path xdgConfigHome;
    final int port;
    final String user = System.getProperty("user.name");
    private final ChildProcess sshd;

    /** Skips where OpenSSH is not installed, except in CI (.ci/run installs it there). */
    static void assumeInstalled() {
        boolean ci = System.getenv("CI") != null;
        if (!ci) assumeTrue(Files.isExecutable(SSHD) && onPath("ssh"), "openssh-server and openssh-client are not installed");
    }

    TestSshd(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        hostKey = keygen("host");
        clientKey = keygen("client");
        otherKey = keygen("other");
        authorizedKeys = dir.resolve("authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorizedKeys);
        knownHosts = dir.resolve("known_hosts");
        xdgConfigHome = Files.createDirectories(dir.resolve("xdg"));
        port = ChildProcess.freePort();
        trustHostKey();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile none",
                "AuthorizedKeysFile " + authorizedKeys,
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "AllowTcpForwarding local",
                "AllowAgentForwarding no",
                "X11Forwarding no",
                // where the remote jpen's default token file is looked for: this folder, not the real home
                "SetEnv XDG_CONFIG_HOME=" + xdgConfigHome,
                "LogLevel VERBOSE",
                ""));
        clientConfig = dir.resolve("ssh_config");
        Files.writeString(clientConfig, String.join("\n",
                "Host *",
                "  IdentityFile " + clientKey,
                "  IdentitiesOnly yes",
                "  IdentityAgent none",
                "  UserKnownHostsFile " + knownHosts,
                "  GlobalKnownHostsFile /dev/null",
                "  HashKnownHosts no",
                ""));
        // sshd started as root wants its privilege separation folder
        if (isRoot()) Files.createDirectories(Path.of("/run/sshd"));
        sshd = ChildProcess.start(dir, "sshd", port, List.of(SSHD.toString(), "-D", "-e", "-f", config.toString()));
    }

    /** known_hosts holds the real host key. */
    void trustHostKey() throws IOException {
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(Path.of(hostKey + ".pub")));
    }

    /** known_hosts holds another key for this host (as after a reinstall, or a man in the middle). */
    void recordWrongHostKey() throws IOException {
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(Path.of(otherKey + ".pub")));
    }

    /** known_hosts knows nothing. */
    void forgetHostKey() throws IOException {
        Files.writeString(knownHosts, "");
    }

    /** The server accepts only another key than the client's. */
    void authorizeOnlyOtherKey() throws IOException {
        Files.copy(Path.of(otherKey + ".pub"), authorizedKeys, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The host key's fingerprint as ssh-keygen -l shows it. */
    String hostKeyFingerprint() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", hostKey + ".pub").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out.strip().split("\\s+")[1];
    }

    /** What sshd logged (-e: to its standard error), for a failing test's message. */
    String log() {
        return sshd.output();
    }

    @Override
    public void close() {
        sshd.close();
    }

    private Path keygen(String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("ssh-keygen failed: " + out);
        return key;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(":")) if (Files.isExecutable(Path.of(d, program))) return true;
        return false;
    }
}
