package io.jpen.core.model;

import java.nio.file.Path;

/** Where something listens or connects: a TCP address or a Unix socket path. */
public sealed interface Endpoint {

    /** A TCP endpoint; {@code host} null means every local address. */
    record Tcp(String host, int port) implements Endpoint {
        public Tcp {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        }

        @Override
        public String toString() {
            if (host == null) return Integer.toString(port);
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    record Unix(Path path) implements Endpoint {
        @Override
        public String toString() {
            return path.toString();
        }
    }
}
