package io.jpen.core.api.client.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the console runs the system's OpenSSH client, so an attach uses exactly the operator's own SSH setup:
 * {@code ~/.ssh/config} (or the file given with {@link #withConfig}), keys, agent, known_hosts.
 */
public final class SshClient {
    private final String ssh;
    private final Path config;
    private final Duration connectTimeout;

    private SshClient(String ssh, Path config, Duration connectTimeout) {
        this.ssh = ssh;
        this.config = config;
        this.connectTimeout = connectTimeout;
    }

    /** {@code ssh} from the PATH, with the user's own configuration. */
    public static SshClient system() {
        return new SshClient("ssh", null, Duration.ofSeconds(10));
    }

    /** The same, reading {@code file} instead of {@code ~/.ssh/config} (ssh's {@code -F}). */
    public SshClient withConfig(Path file) {
        return new SshClient(ssh, file, connectTimeout);
    }

    public SshClient withConnectTimeout(Duration d) {
        return new SshClient(ssh, config, d);
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@code ssh [-F config] [-p port] [-l user] OPTIONS -- host [COMMAND]}. */
    List<String> command(SshTarget t, List<String> options, String remoteCommand) {
        List<String> c = new ArrayList<>();
        c.add(ssh);
        if (config != null) c.addAll(List.of("-F", config.toString()));
        if (t.port() != -1) c.addAll(List.of("-p", Integer.toString(t.port())));
        if (t.user() != null) c.addAll(List.of("-l", t.user()));
        c.addAll(options);
        c.add("--");
        c.add(t.host());
        if (remoteCommand != null) c.add(remoteCommand);
        return c;
    }

    /** What ssh would use for {@code t} after reading its configuration ({@code ssh -G}), keys in lower case. */
    Map<String, String> resolve(SshTarget t) {
        Processes.Result r = Processes.run(command(t, List.of("-G"), null), null, Duration.ofSeconds(10));
        if (!r.ok()) throw new SshAttachException(SshFailure.of(t, r.exitCode(), r.err()));
        Map<String, String> settings = new TreeMap<>();
        for (String line : r.out().split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) settings.putIfAbsent(line.substring(0, sp).toLowerCase(java.util.Locale.ROOT), line.substring(sp + 1).strip());
        }
        return settings;
    }

    /** A helper program that comes with the ssh client (ssh-keyscan, ssh-keygen), from the same folder. */
    String companion(String name) {
        Path p = Path.of(ssh);
        return p.getParent() == null ? name : p.getParent().resolve(name).toString();
    }
}
