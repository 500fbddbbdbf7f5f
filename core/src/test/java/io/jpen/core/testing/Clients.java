package io.jpen.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Small blocking clients for tests. */
public final class Clients {
    private Clients() {}

    /** Connects from {@code from} (e.g. 127.0.0.2) and returns everything the peer sends until EOF. */
    public static String fetch(String from, int port) {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            if (from != null) s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String fetch(int port) {
        return fetch(null, port);
    }
}
