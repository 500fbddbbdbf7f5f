package io.jpen.core.engine;

import io.jpen.core.model.Addresses;
import io.jpen.core.model.HostPort;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * Pen's network log ({@code -l host:port}): each request line goes as one UDP datagram to Debian's {@code penlogd},
 * in Pen's network format {@code + client_ip server_ip request-line\n} (no time: penlogd adds it when it matches the
 * line with the server's own log from {@code penlog}). Sent without blocking from whichever event loop reads the
 * request; a datagram the socket cannot take at once is dropped, as Pen's non-blocking sendto drops it.
 */
final class PenlogdLog implements AutoCloseable {
    /** penlogd reads datagrams into a 1024-byte buffer and terminates them: longer lines would be cut or overrun it. */
    private static final int MAX_DATAGRAM = 1023;

    private final InetSocketAddress to;
    private final DatagramChannel channel;

    private PenlogdLog(InetSocketAddress to, DatagramChannel channel) {
        this.to = to;
        this.channel = channel;
    }

    /** Opens a sender to {@code destination}, penlogd's {@code host:port}; a clear error if it is not one. */
    static PenlogdLog open(String destination) {
        HostPort hp;
        try {
            hp = Addresses.hostPort(destination);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log " + destination + ": " + e.getMessage()
                    + " (a name that contains ':' is penlogd's host:port; write ./" + destination + " for a file)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(hp.host());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("log " + destination + ": unknown host " + hp.host());
        }
        try {
            DatagramChannel channel = DatagramChannel.open(address instanceof Inet4Address
                    ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            channel.configureBlocking(false);
            return new PenlogdLog(new InetSocketAddress(address, hp.port()), channel);
        } catch (IOException e) {
            throw new IllegalArgumentException("log " + destination + ": cannot open a UDP socket: " + e.getMessage());
        }
    }

    void request(InetAddress client, SocketAddress server, ByteBuf data) {
        StringBuilder b = new StringBuilder(96).append("+ ")
                .append(client == null ? "0.0.0.0" : client.getHostAddress()).append(' ')
                .append(AccessLog.serverAddress(server)).append(' ');
        AccessLog.requestLine(b, data, Math.max(0, MAX_DATAGRAM - 1 - b.length())).append('\n');
        try {
            channel.send(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.ISO_8859_1)), to);
        } catch (IOException e) {
            // Closed by a concurrent reopen, or an error the next line may not have: logging never breaks proxying.
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was buffered
        }
    }
}
