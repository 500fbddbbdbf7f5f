package io.jpen.core.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real UDP server on loopback that names itself: a DNS query (as dig sends) gets a TXT answer holding the name;
 * any other datagram gets the name followed by a colon and the datagram's own text.
 */
public final class UdpBackend implements AutoCloseable {
    private final String name;
    private final DatagramSocket socket;
    private final AtomicInteger received = new AtomicInteger();

    public UdpBackend(String name) throws IOException {
        this.name = name;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::serve, "udp-backend-" + name);
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int received() {
        return received.get();
    }

    private void serve() {
        byte[] buf = new byte[65_536];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                received.incrementAndGet();
                byte[] reply = isDnsQuery(p) ? dnsAnswer(p) : (name + ":" + new String(p.getData(), 0, p.getLength(),
                        StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static boolean isDnsQuery(DatagramPacket p) {
        byte[] d = p.getData();
        return p.getLength() >= 17 && (d[2] & 0x80) == 0 && d[4] == 0 && d[5] == 1;
    }

    /** Echoes the question and answers it with one TXT record holding the name. */
    private byte[] dnsAnswer(DatagramPacket p) {
        byte[] q = p.getData();
        int end = 12;
        while (q[end] != 0) end += (q[end] & 0xff) + 1;
        end += 5; // the root label, QTYPE and QCLASS
        byte[] txt = name.getBytes(StandardCharsets.US_ASCII);
        byte[] r = new byte[end + 12 + 1 + txt.length];
        System.arraycopy(q, 0, r, 0, end);
        r[2] = (byte) 0x81; // response, recursion desired copied loosely
        r[3] = (byte) 0x80;
        r[6] = 0;
        r[7] = 1; // ANCOUNT
        r[8] = r[9] = r[10] = r[11] = 0;
        int i = end;
        r[i++] = (byte) 0xc0; r[i++] = 12; // name: pointer to the question
        r[i++] = 0; r[i++] = 16; // TXT
        r[i++] = 0; r[i++] = 1; // IN
        r[i++] = 0; r[i++] = 0; r[i++] = 0; r[i++] = 0; // TTL
        r[i++] = 0; r[i++] = (byte) (txt.length + 1);
        r[i++] = (byte) txt.length;
        System.arraycopy(txt, 0, r, i, txt.length);
        return r;
    }

    @Override
    public void close() {
        socket.close();
    }
}
