package io.jpen.core.testing;

import io.jpen.core.engine.Connection;
import io.netty.channel.unix.Socket;

/**
 * What the kernel says of a pair's sockets (options, addresses), whether the pair has Netty channels or is a plain
 * pair without them: asked by descriptor. The sockets are the pair's; nothing here closes them.
 */
public final class KernelSockets {
    private KernelSockets() {}

    /** The client's socket of {@code c}. */
    public static Socket client(Connection c) {
        return of(c.downFd(), "client");
    }

    /** The server's socket of {@code c}. */
    public static Socket server(Connection c) {
        return of(c.upFd(), "server");
    }

    private static Socket of(int fd, String side) {
        if (fd < 0) throw new IllegalStateException("the " + side + " side has no open socket");
        return new Socket(fd);
    }
}
