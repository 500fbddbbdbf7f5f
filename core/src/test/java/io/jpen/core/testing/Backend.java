package io.jpen.core.testing;

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

/**
 * A real TCP server on loopback for tests. In NAME mode it writes its name and closes; in ECHO mode it echoes
 * every byte until the client half-closes, then closes.
 */
public final class Backend implements AutoCloseable {
    public enum Mode { NAME, ECHO, HOLD, SOURCE }

    private final String name;
    private final Mode mode;
    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong sourced = new java.util.concurrent.atomic.AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public Backend(String name, Mode mode) throws IOException {
        this(name, mode, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public Backend(String name, Mode mode, InetSocketAddress bind) throws IOException {
        this.name = name;
        this.mode = mode;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind, 200);
        acceptor = new Thread(this::acceptLoop, "backend-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static Backend named(String name) throws IOException {
        return new Backend(name, Mode.NAME);
    }

    public static Backend echo(String name) throws IOException {
        return new Backend(name, Mode.ECHO);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String name() {
        return name;
    }

    public int accepted() {
        return accepted.get();
    }

    /** Bytes a SOURCE backend has handed to the kernel so far. */
    public long sourced() {
        return sourced.get();
    }

    public int openConnections() {
        return open.size();
    }

    /** Closes every connection the backend holds (as a server restart or a firewall would), but keeps listening. */
    public void dropConnections() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (server.isClosed()) { // accepted while closing: not served
                    s.close();
                    return;
                }
                open.add(s); // first: once accepted() counts a connection, openConnections() has seen it
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "backend-" + name + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            switch (mode) {
                case NAME -> {
                    s.getOutputStream().write((name + "\n").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    s.shutdownOutput();
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                }
                case ECHO -> {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
                    s.shutdownOutput();
                }
                case HOLD -> s.getInputStream().transferTo(OutputStream.nullOutputStream());
                case SOURCE -> {
                    // Writes as fast as the peer lets it, until the peer goes away.
                    byte[] chunk = new byte[64 * 1024];
                    OutputStream out = s.getOutputStream();
                    while (true) {
                        out.write(chunk);
                        sourced.addAndGet(chunk.length);
                    }
                }
            }
        } catch (IOException ignored) {
            // the client went away; nothing to report in a test backend
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        int port = server.getLocalPort();
        server.close();
        // The kernel may go on completing handshakes for a moment after close() (a thread still polling the
        // listener holds it): wait for the acceptor to end and the port to refuse, so a test that stops a
        // backend sees it stopped, not one last connection served.
        try {
            acceptor.join(5_000);
            long until = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < until) {
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    Thread.sleep(10);
                } catch (IOException refused) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
