package io.jpen.gui.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Blocking loopback clients for tests. */
public final class TestClients {
    private TestClients() {}

    /** Sends {@code request}, half-closes, and returns everything until EOF. */
    public static String fetch(int port, String request) {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection that stays open until closed (by the test or by the balancer). */
    public static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return s;
    }
}
