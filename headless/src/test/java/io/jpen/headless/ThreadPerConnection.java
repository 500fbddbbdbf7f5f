package io.jpen.headless;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** A loopback test server that serves each connection on a thread of its own; close ends them all. */
final class ThreadPerConnection implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 500, InetAddress.getLoopbackAddress());
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** {@code serve} runs for each connection and owns it (it closes it when done). */
    ThreadPerConnection(String name, Consumer<Socket> serve) throws IOException {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    Thread h = new Thread(() -> {
                        try {
                            serve.accept(s);
                        } finally {
                            open.remove(s);
                        }
                    }, name);
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, name + "-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
