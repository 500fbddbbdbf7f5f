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

    /**
     * Reads what the server sends until it ends the connection, sending nothing and no end: the server's end is then
     * the first jpen reads (with {@link #fetch}, whose client half-closes at once, which end jpen reads first is up to
     * the kernel's event order).
     */
    public static String readUntilTheServerEnds(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    /** A request and its whole answer, as an HTTP client with "Connection: close" makes it. */
    public static String httpClose(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    /** Sends {@code text} on {@code s} and asserts that an echo backend sends exactly it back. */
    public static void echo(Socket s, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(b);
        org.assertj.core.api.Assertions.assertThat(new String(s.getInputStream().readNBytes(b.length), StandardCharsets.US_ASCII))
                .isEqualTo(text);
    }
}
