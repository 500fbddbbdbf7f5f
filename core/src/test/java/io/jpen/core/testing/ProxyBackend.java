package io.jpen.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A backend that expects a PROXY header on every connection, as nginx's {@code proxy_protocol} listener does: it
 * decodes it with Netty's decoder, answers one line describing it ({@code v2 PROXY TCP4 SRC SPORT DST DPORT}, or
 * {@code BAD reason}), then echoes everything that followed the header.
 */
public final class ProxyBackend implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> headers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public ProxyBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-backend");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The header of every connection so far, as its answer line. */
    public List<String> headers() {
        return List.copyOf(headers);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "proxy-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HAProxyMessageDecoder());
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            String line = null;
            while (line == null) {
                int n = in.read(buf);
                if (n < 0) return;
                try {
                    decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
                } catch (RuntimeException e) {
                    line = "BAD " + e.getMessage();
                    headers.add(line);
                    out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                Object first = decoder.readInbound();
                if (first instanceof HAProxyMessage m) {
                    line = describe(m);
                    m.release();
                    headers.add(line);
                    out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
            Object rest;
            while ((rest = decoder.readInbound()) != null) { // what came with the header
                ByteBuf b = (ByteBuf) rest;
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                out.write(bytes);
            }
            int n;
            while ((n = in.read(buf)) >= 0) out.write(buf, 0, n);
        } catch (IOException e) {
            // the client went away
        } finally {
            decoder.finishAndReleaseAll();
        }
    }

    static String describe(HAProxyMessage m) {
        return m.protocolVersion().name().toLowerCase() + " " + m.command() + " " + m.proxiedProtocol()
                + (m.sourceAddress() == null ? "" : " " + m.sourceAddress() + " " + m.sourcePort() + " "
                + m.destinationAddress() + " " + m.destinationPort());
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
