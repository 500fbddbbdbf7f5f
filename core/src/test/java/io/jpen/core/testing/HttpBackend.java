package io.jpen.core.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on loopback (the JDK's): every response body is
 * {@code NAME xff=<X-Forwarded-For> proto=<X-Forwarded-Proto> body=<request body length>}.
 */
public final class HttpBackend implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    public HttpBackend(String name) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http-backend-" + name);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            int bodyLength = ex.getRequestBody().readAllBytes().length;
            List<String> xff = ex.getRequestHeaders().get("X-Forwarded-For");
            List<String> proto = ex.getRequestHeaders().get("X-Forwarded-Proto");
            byte[] reply = (name + " xff=" + (xff == null ? "-" : String.join("|", xff))
                    + " proto=" + (proto == null ? "-" : String.join("|", proto)) + " body=" + bodyLength)
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
