package io.jpen.core.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (engines, backends, sockets), closed after each test, newest first, so a test never leaks a
 * port or a thread into the next. Register with {@code @RegisterExtension final Resources resources = new Resources();}.
 */
public final class Resources implements AfterEachCallback {
    private final List<AutoCloseable> open = new ArrayList<>();

    public <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    /**
     * A loopback port that refuses connections for the rest of the test: a socket bound to it but not listening.
     * A port merely closed again could be handed to the next listener the test opens (a backend, the engine)
     * and then answer.
     */
    public int refusingPort() throws java.io.IOException {
        java.net.Socket bound = keep(new java.net.Socket());
        bound.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        return bound.getLocalPort();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        open.clear();
        if (first != null) throw first;
    }
}
