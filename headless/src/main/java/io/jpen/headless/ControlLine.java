package io.jpen.headless;

import io.jpen.core.model.Addresses;
import io.jpen.core.model.Endpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * penctl's wire format from the client side: one command line to a control port (TCP or Unix socket), the reply is
 * everything until the balancer closes the connection, and all of it within a timeout. Plain JDK classes only, so
 * {@code jpenctl --check} starts quickly.
 */
final class ControlLine {
    private ControlLine() {}

    /** The control port {@code target} names, or null after saying on {@code err} what is wrong with it. */
    static Endpoint endpoint(String target, PrintWriter err) {
        try {
            return Addresses.endpoint(target);
        } catch (IllegalArgumentException e) {
            err.println("jpenctl: " + e.getMessage());
            return null;
        }
    }

    static byte[] send(Endpoint endpoint, String command, int timeoutSeconds) throws IOException {
        byte[] line = (command + "\n").getBytes(StandardCharsets.UTF_8);
        return endpoint instanceof Endpoint.Unix u ? viaUnix(u, line, timeoutSeconds)
                : viaTcp((Endpoint.Tcp) endpoint, line, timeoutSeconds);
    }

    private static byte[] viaTcp(Endpoint.Tcp t, byte[] line, int timeoutSeconds) throws IOException {
        InetAddress host = t.host() == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(t.host());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, t.port()), timeoutSeconds * 1000);
            s.setSoTimeout(timeoutSeconds * 1000);
            OutputStream o = s.getOutputStream();
            o.write(line);
            o.flush();
            return s.getInputStream().readAllBytes();
        }
    }

    private static byte[] viaUnix(Endpoint.Unix u, byte[] line, int timeoutSeconds) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // A Unix socket channel has no read timeout: a watchdog closes it when the time is up, so a balancer that
            // accepts and never answers cannot hold jpenctl (or keepalived's check) for ever.
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(timeoutSeconds * 1000L);
                    ch.close();
                } catch (InterruptedException | IOException done) {
                    // answered in time, or closing anyway
                }
            }, "jpenctl-timeout");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                ch.connect(UnixDomainSocketAddress.of(u.path()));
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) ch.write(b);
                return Channels.newInputStream(ch).readAllBytes();
            } finally {
                watchdog.interrupt();
            }
        } catch (AsynchronousCloseException e) {
            throw new SocketTimeoutException("no answer in time");
        }
    }

    /** What went wrong, in words (no exception class names). */
    static String describe(IOException e) {
        if (e instanceof java.net.UnknownHostException) return "unknown host " + e.getMessage();
        if (e instanceof SocketTimeoutException) return "no answer in time";
        String m = e.getMessage();
        return m == null ? "connection failed" : m;
    }
}
