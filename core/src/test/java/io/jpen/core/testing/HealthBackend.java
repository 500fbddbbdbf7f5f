package io.jpen.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real TCP server on loopback that answers health checks and clients on one port, as a real service would:
 * a line starting {@code GET } gets an HTTP answer with the status set by {@link #status(int)}; the line
 * {@code PING} gets {@link #pingReply(String)} and the connection closes; a client that sends nothing and
 * half-closes gets the server's name (what {@link Clients#fetch} reads); a client that sends other bytes gets them
 * echoed until it half-closes.
 */
public final class HealthBackend implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> pingReply = new AtomicReference<>("+PONG\r\n");
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicInteger failingAnswers = new AtomicInteger();
    private final AtomicInteger clients = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public HealthBackend(String name) throws IOException {
        this(name, 0);
    }

    public HealthBackend(String name, int port) throws IOException {
        this.name = name;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        Thread t = new Thread(this::acceptLoop, "health-backend-" + name);
        t.setDaemon(true);
        t.start();
    }

    public int port() { return server.getLocalPort(); }
    public String name() { return name; }
    /** Health requests (HTTP GET or PING) answered so far. */
    public int checks() { return checks.get(); }
    /** Of those, the ones answered with a failing status or reply. */
    public int failingAnswers() { return failingAnswers.get(); }
    /** Client connections (not health checks) served so far. */
    public int clients() { return clients.get(); }
    public int openConnections() { return open.size(); }

    /** The status /healthz (any GET) answers from now on. */
    public void status(int code) { status.set(code); }

    /** What a {@code PING} line gets from now on. */
    public void pingReply(String reply) { pingReply.set(reply); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "health-backend-" + name + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                first.write(c);
                if (c == '\n' || first.size() >= 4) {
                    String start = first.toString(StandardCharsets.ISO_8859_1);
                    if (!start.startsWith("GET ") && !start.startsWith("PING") && !"GET ".startsWith(start)
                            && !"PING".startsWith(start)) break; // client data: echo it
                    if (c == '\n') break;
                }
            }
            String line = first.toString(StandardCharsets.ISO_8859_1);
            if (line.startsWith("GET ")) {
                checks.incrementAndGet();
                int code = status.get();
                if (code >= 400) failingAnswers.incrementAndGet();
                out.write(("HTTP/1.1 " + code + " Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            } else if (line.startsWith("PING")) {
                checks.incrementAndGet();
                String reply = pingReply.get();
                if (!reply.contains("+PONG")) failingAnswers.incrementAndGet();
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
            } else if (line.isEmpty()) {
                clients.incrementAndGet();
                out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            } else {
                clients.incrementAndGet();
                out.write(first.toByteArray());
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            }
            out.flush();
            s.shutdownOutput();
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the peer went away
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
