package io.jpen.headless;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP name server for dig on loopback: every A query is answered with one address, a fixed one (as a zone of
 * bind's would, giving each server its own answer) or the address the query came from (which shows whether a
 * balancer in front was transparent).
 */
final class DnsResponder implements AutoCloseable {
    private final DatagramSocket socket;

    /** Answers with {@code answer}, or with the asker's address when {@code answer} is null. */
    DnsResponder(InetAddress bind, InetAddress answer) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        Thread t = new Thread(() -> serve(answer), "dns-" + bind.getHostAddress());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve(InetAddress fixed) {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                byte[] reply = answer(buf, p.getLength(), fixed != null ? fixed : p.getAddress());
                if (reply != null) socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The response to the query in {@code q}: its ID and question, one A record; null for what is not a query. */
    private static byte[] answer(byte[] q, int length, InetAddress address) {
        int end = 12;
        while (end < length && q[end] != 0) end += (q[end] & 0xff) + 1;
        end += 5; // the root label, QTYPE and QCLASS
        if (length < 12 || end > length) return null;
        ByteBuffer r = ByteBuffer.allocate(end + 16);
        r.put(q, 0, 2).putShort((short) 0x8180).putShort((short) 1).putShort((short) 1).putShort((short) 0).putShort((short) 0);
        r.put(q, 12, end - 12);
        r.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4).put(address.getAddress());
        return r.array();
    }

    @Override
    public void close() {
        socket.close();
    }
}
