package io.jpen.core.model;

/** A host (name, IPv4 or IPv6 literal without brackets) and a port. */
public record HostPort(String host, int port) {
    public HostPort {
        if (host == null || host.isEmpty()) throw new IllegalArgumentException("empty host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** Brackets IPv6 literals, as a user writes them. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
