package io.jpen.gui.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A real loopback TCP server for tests: NAME writes its name and closes; HOLD keeps the connection open. */
public final class TestBackend implements AutoCloseable {
    public enum Mode { NAME, HOLD }

    private final String name;
    private final Mode mode;
    private final ServerSocket server = new ServerSocket();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public TestBackend(String name, Mode mode) throws IOException {
        this.name = name;
        this.mode = mode;
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        Thread t = new Thread(this::acceptLoop, "test-backend-" + name);
        t.setDaemon(true);
        t.start();
    }

    public int port() { return server.getLocalPort(); }
    public int accepted() { return accepted.get(); }
    /** Connections open right now (idlers show up here). */
    public int open() { return open.size(); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "test-backend-" + name + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            if (mode == Mode.NAME) {
                s.getOutputStream().write((name + "\n").getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
            }
            s.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the peer went away
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
