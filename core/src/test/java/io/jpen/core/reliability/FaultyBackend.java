package io.jpen.core.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback backend that misbehaves on purpose: it streams without end, stays silent, never reads, or resets,
 * and can be killed (every socket closed at once, as the kernel does when a process dies) or reset (SO_LINGER 0,
 * so the peer gets an RST) at any moment.
 */
final class FaultyBackend implements AutoCloseable {
    enum Behaviour {
        /** Writes bytes without end until the peer or a kill ends the connection. */
        STREAM,
        /** Reads and discards, never answers. */
        SILENT,
        /** Neither reads nor answers: what the client sends piles up until every buffer on the way is full. */
        DEAF,
        /** Reads the first bytes of the request, then resets the connection. */
        RESET_ON_REQUEST
    }

    private final Behaviour behaviour;
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    FaultyBackend(Behaviour behaviour) throws IOException {
        this(behaviour, 0);
    }

    /** Binds {@code port} on 127.0.0.1 (0 = any free port); a restarted backend passes its old port. */
    FaultyBackend(Behaviour behaviour, int port) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        Thread t = new Thread(this::acceptLoop, "faulty-" + behaviour);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    int open() {
        return open.size();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "faulty-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            switch (behaviour) {
                case STREAM -> {
                    byte[] chunk = new byte[16 * 1024];
                    new Random(42).nextBytes(chunk);
                    OutputStream out = s.getOutputStream();
                    while (true) out.write(chunk);
                }
                case SILENT -> s.getInputStream().transferTo(OutputStream.nullOutputStream());
                case DEAF -> {
                    while (!s.isClosed()) Thread.sleep(50);
                }
                case RESET_ON_REQUEST -> {
                    InputStream in = s.getInputStream();
                    if (in.read() >= 0) {
                        s.setSoLinger(true, 0);
                        s.close();
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the peer left or we were killed: both are what these tests provoke
        } finally {
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
            open.remove(s);
        }
    }

    /** Dies like a killed process: the listener and every connection closed at once, nothing more sent. */
    void kill() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }

    /** Resets every connection (RST), then stops listening. */
    void reset() throws IOException {
        server.close();
        for (Socket s : open) {
            s.setSoLinger(true, 0);
            s.close();
        }
    }

    @Override
    public void close() throws IOException {
        kill();
    }
}
