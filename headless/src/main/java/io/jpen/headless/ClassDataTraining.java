package io.jpen.headless;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The run a class-data archive is made from: jpen's start exactly as {@link Jpen#main} makes it (signals, the command
 * line, the foreground daemon, the engine), then connections relayed to a loopback server, as clients with
 * {@code Connection: close} make them, then a stop by TERM's path. The launchers run it once with
 * {@code -XX:DumpLoadedClassList} and build the archive from that list, so that neither the start nor the first
 * connections load classes from the jars: the first class that is not in the archive made the JVM open jar after jar
 * on the class path until it found it, 70 ms of a start (docs/performance.md, "Start-up" and "Memory").
 */
public final class ClassDataTraining {
    private static final int CONNECTIONS = 50;
    private static final int BULK = 4 << 20;

    private ClassDataTraining() {}

    public static void main(String[] args) throws Exception {
        Signals signals = Jpen.prepare();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread backend = new Thread(() -> answer(server), "training-server");
            backend.setDaemon(true);
            backend.start();
            int code = -1;
            for (int attempt = 0; attempt < 3 && code != 0; attempt++) {
                code = train(signals, server.getLocalPort());
            }
            if (code != 0) throw new IllegalStateException("the training run's jpen ended with " + code);
        }
        LoggerFactory.getLogger("jpen").info("class-data training done");
    }

    /** One jpen on a free port (another process may take it first: then jpen exits 1 and the caller tries again). */
    private static int train(Signals signals, int backendPort) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String[] jpenArgs = {"-f", "-r", "-x", "100", "127.0.0.1:" + port, "127.0.0.1:" + backendPort};
        int[] code = {-1};
        Thread jpen = new Thread(() -> code[0] = Jpen.run(jpenArgs, signals), "training-jpen");
        jpen.start();
        while (jpen.isAlive()) {
            try {
                request(port);
                break;
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
        }
        if (!jpen.isAlive()) return code[0];
        for (int i = 1; i < CONNECTIONS; i++) request(port);
        bulk(port);
        signals.stop();
        jpen.join(60_000);
        return code[0];
    }
    /** A request and its whole answer; the server closes first, then the client. */
    private static void request(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes();
        }
    }

    /**
     * A large answer read slowly: the relay's bulk path (splice, and bytes waiting for a full client) loads its classes
     * here rather than from the jars in service.
     */
    private static void bulk(int port) throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.getOutputStream().write("GET /bulk HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(100); // the way to this client fills up first
            s.getInputStream().readAllBytes();
        }
    }

    /** Answers each request with a small response (or {@link #BULK} bytes for /bulk) and closes. */
    private static void answer(ServerSocket server) {
        byte[] response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
        byte[] bulk = new byte[BULK];
        while (!server.isClosed()) {
            try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                byte[] request = new byte[4096];
                int n = in.read(request);
                boolean big = n > 8 && new String(request, 0, 9, StandardCharsets.US_ASCII).equals("GET /bulk");
                out.write(big ? bulk : response);
            } catch (IOException e) {
                if (!server.isClosed()) throw new UncheckedIOException(e);
            }
        }
    }
}
