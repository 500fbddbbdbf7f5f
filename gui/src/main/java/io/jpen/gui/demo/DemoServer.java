package io.jpen.gui.demo;

import java.io.BufferedInputStream;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP/1.0 server on loopback for the demo: {@code GET /stream?bytes=N&ms=M} answers N bytes spread
 * over M milliseconds (so connections stay open long enough to watch), after reading any request body.
 * Speaks just enough HTTP for the balancer's http and dummy modes to make sense in front of it.
 */
public final class DemoServer implements AutoCloseable {
    private static final byte[] CHUNK = new byte[8 * 1024];

    private final String name;
    private final ServerSocket server;
    private final ExecutorService workers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger served = new AtomicInteger();

    public DemoServer(String name) throws IOException {
        this.name = name;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "demo-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        workers.execute(this::acceptLoop);
    }

    public String name() { return name; }
    public int port() { return server.getLocalPort(); }
    public int served() { return served.get(); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                try {
                    workers.execute(() -> serve(s));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // accepted while close() stops the workers: that connection ends with the server
                    open.remove(s);
                    s.close();
                    return;
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(60_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            String requestLine = line(in);
            if (requestLine == null) return;
            long contentLength = 0;
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    contentLength = parse(h.substring(colon + 1).trim(), 0);
                }
            }
            in.skipNBytes(Math.min(contentLength, 16L << 20));
            long bytes = query(requestLine, "bytes", 4096);
            long millis = query(requestLine, "ms", 0);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.0 200 OK\r\nServer: jpen-demo-" + name + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + bytes + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long chunks = Math.max(1, (bytes + CHUNK.length - 1) / CHUNK.length);
            long pause = millis / chunks;
            for (long left = bytes; left > 0; left -= CHUNK.length) {
                out.write(CHUNK, 0, (int) Math.min(left, CHUNK.length));
                out.flush();
                if (pause > 0) Thread.sleep(pause);
            }
            out.flush();
            served.incrementAndGet();
        } catch (IOException e) {
            // the client (or the balancer) went away: normal in a demo
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') return b.toString().strip();
            if (b.length() > 8192) throw new IOException("header line too long");
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString().strip();
    }

    static long query(String requestLine, String key, long fallback) {
        int q = requestLine.indexOf('?');
        if (q < 0) return fallback;
        int end = requestLine.indexOf(' ', q);
        for (String pair : requestLine.substring(q + 1, end < 0 ? requestLine.length() : end).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) return Math.min(parse(pair.substring(eq + 1), fallback), 64L << 20);
        }
        return fallback;
    }

    private static long parse(String s, long fallback) {
        try {
            return Math.max(0, Long.parseLong(s));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        workers.shutdownNow();
    }
}
