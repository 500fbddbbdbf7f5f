package io.jpen.headless;

import io.jpen.core.engine.Engine;
import io.jpen.core.logging.LogbackLevels;
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
import java.time.InstantSource;

/**
 * The run a class-data archive is made from: jpen's start as {@link Jpen#main} makes it, then connections relayed
 * through the engine to a loopback server, as clients with {@code Connection: close} make them. The launchers run it
 * once with {@code -XX:DumpLoadedClassList} and build the archive from that list, so that neither the start nor the
 * first connections load classes from the jars (docs/performance.md, "Start-up" and "Memory").
 */
public final class ClassDataTraining {
    private static final int CONNECTIONS = 50;

    private ClassDataTraining() {}

    public static void main(String[] args) throws Exception {
        FastStart.apply();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread backend = new Thread(() -> answer(server), "training-server");
            backend.setDaemon(true);
            backend.start();
            Jpen jpen = new Jpen();
            Jpen.commandLine(jpen).parseArgs("-f", "-r", "-x", "100", "127.0.0.1:0", "127.0.0.1:" + server.getLocalPort());
            try (Engine engine = new Engine(jpen.options.toEngineOptions(InstantSource.system()), new LogbackLevels())) {
                engine.start();
                for (int i = 0; i < CONNECTIONS; i++) request(engine.port());
            }
        }
        LoggerFactory.getLogger("jpen").info("class-data training done");
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

    /** Answers each request with a small response and closes. */
    private static void answer(ServerSocket server) {
        byte[] response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
        while (!server.isClosed()) {
            try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                in.read(new byte[4096]);
                out.write(response);
            } catch (IOException e) {
                if (!server.isClosed()) throw new UncheckedIOException(e);
            }
        }
    }
}
