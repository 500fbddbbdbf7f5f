package io.jpen.core.api.client.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * The keys a host offers that known_hosts does not know, as they will be added if the operator trusts them.
 *
 * @param host         how ssh names the host ({@code lb1.example.org} or {@code [10.0.0.5]:2222})
 * @param fingerprints one line per key: type and SHA-256 fingerprint, as {@code ssh-keygen -l} prints them
 * @param knownHosts   the file the keys go to
 * @param lines        the known_hosts lines that will be appended
 */
public record UnknownHostKey(String host, List<String> fingerprints, Path knownHosts, List<String> lines) {
    public UnknownHostKey {
        fingerprints = List.copyOf(fingerprints);
        lines = List.copyOf(lines);
    }
}
