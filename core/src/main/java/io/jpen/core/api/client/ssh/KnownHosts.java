package io.jpen.core.api.client.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A host key that known_hosts does not have yet: fetched with {@code ssh-keyscan}, shown as {@code ssh-keygen -l}
 * fingerprints, and appended to the user's known_hosts — exactly those lines, and only once the operator said so.
 * The next ssh then checks the host strictly against them, so what was shown is what is trusted.
 */
final class KnownHosts {
    private final SshClient client;

    KnownHosts(SshClient client) {
        this.client = client;
    }

    /** The keys {@code t} offers, ready to be shown and added. */
    UnknownHostKey fetch(SshTarget t) {
        Map<String, String> cfg = client.resolve(t);
        String hostname = cfg.getOrDefault("hostname", t.host());
        String port = cfg.getOrDefault("port", "22");
        String alias = cfg.get("hostkeyalias");
        Path file = knownHostsFile(cfg.get("userknownhostsfile"));

        Processes.Result scan = Processes.run(List.of(client.companion("ssh-keyscan"), "-T", "5", "-p", port, hostname), null,
                Duration.ofSeconds(15));
        List<String> lines = new ArrayList<>();
        for (String line : scan.out().split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            // ssh looks a HostKeyAlias up by the alias alone
            if (alias != null && !alias.equalsIgnoreCase("none")) l = alias + l.substring(l.indexOf(' '));
            lines.add(l);
        }
        if (lines.isEmpty()) {
            throw new SshAttachException("cannot fetch the host key of " + t.login() + " to show it"
                    + (scan.err().isBlank() ? "" : ": " + scan.err().strip()));
        }
        String name = alias != null && !alias.equalsIgnoreCase("none") ? alias : lines.get(0).substring(0, lines.get(0).indexOf(' '));
        Processes.Result prints = Processes.run(List.of(client.companion("ssh-keygen"), "-l", "-f", "-"),
                String.join("\n", lines) + "\n", Duration.ofSeconds(10));
        if (!prints.ok()) throw new SshAttachException("cannot compute the host key fingerprints: " + prints.err().strip());
        List<String> fingerprints = new ArrayList<>();
        for (String p : prints.out().split("\n")) {
            // "256 SHA256:abc… [host]:port (ED25519)" → "ED25519 SHA256:abc…"
            String[] f = p.strip().split("\\s+");
            if (f.length >= 3) fingerprints.add(f[f.length - 1].replaceAll("[()]", "") + " " + f[1]);
        }
        if ("yes".equalsIgnoreCase(cfg.get("hashknownhosts"))) lines = hashed(lines);
        return new UnknownHostKey(name, fingerprints, file, lines);
    }

    /** Appends the lines to the known_hosts file, creating it (and ~/.ssh) owner-only when missing. */
    void add(UnknownHostKey key) {
        Path file = key.knownHosts();
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            String existing = Files.readString(file, StandardCharsets.UTF_8);
            String text = (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n") + String.join("\n", key.lines()) + "\n";
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new SshAttachException("cannot add the host key to " + file + ": " + e.getMessage());
        }
    }

    /** The lines with their host names hashed, as ssh writes them under HashKnownHosts (ssh-keygen -H). */
    private List<String> hashed(List<String> lines) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("jpen-known-hosts", "");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Processes.Result r = Processes.run(List.of(client.companion("ssh-keygen"), "-H", "-f", tmp.toString()), null,
                    Duration.ofSeconds(10));
            if (!r.ok()) throw new SshAttachException("cannot hash the known_hosts lines: " + r.err().strip());
            return Files.readAllLines(tmp, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new SshAttachException("cannot hash the known_hosts lines: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                    Files.deleteIfExists(Path.of(tmp + ".old"));
                } catch (IOException ignored) {
                    // a temporary file of public keys
                }
            }
        }
    }

    /** The first of ssh's UserKnownHostsFile list, with {@code ~} expanded. */
    static Path knownHostsFile(String setting) {
        String first = setting == null || setting.isBlank() ? "~/.ssh/known_hosts" : setting.strip().split("\\s+")[0];
        if (first.startsWith("~/")) return Path.of(System.getProperty("user.home"), first.substring(2));
        return Path.of(first);
    }
}
