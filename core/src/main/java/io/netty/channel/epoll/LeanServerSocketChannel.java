package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.socket.SocketProtocolFamily;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * jpen's epoll TCP listener: Netty's {@code EpollServerSocketChannel} (without TCP fast open and MD5 signatures, which
 * jpen does not offer) whose accepted sockets are {@link LeanSocketChannel}s. It keeps {@code TCP_NODELAY} and
 * {@code SO_KEEPALIVE} on the listening socket as the last client was given them: Linux hands a listener's options
 * to the sockets it accepts, so the next client has them without a system call of its own.
 */
public final class LeanServerSocketChannel extends AbstractEpollServerChannel {
    static {
        SharedIoOps.ensure(); // interest and event sets shared, not made per change (SharedIoOps)
    }

    private final EpollServerChannelConfig config;
    /** The address accepted sockets are local to; null while not bound or when bound to a wildcard. */
    private volatile InetSocketAddress childLocal;
    private volatile boolean childTcpNoDelay;
    private volatile boolean childKeepAlive;
    /**
     * After a change of the options, how many accepted sockets may still have the old ones: those already in the
     * accept queue were made (from the listener) before it. Their options are unknown to their config, which then
     * sets them whatever it believes.
     */
    private final AtomicInteger unsure = new AtomicInteger();

    /** A listener of {@code family} (null: dual-stack). */
    public LeanServerSocketChannel(SocketProtocolFamily family) {
        super(family == null ? LinuxSocket.newSocketStream() : LinuxSocket.newSocketStream(family), false);
        config = new EpollServerChannelConfig(this);
    }

    @Override
    public EpollServerChannelConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(localAddress);
        socket.listen(config.getBacklog());
        InetSocketAddress bound = (InetSocketAddress) localAddress0();
        if (bound != null && bound.getAddress() != null && !bound.getAddress().isAnyLocalAddress()) {
            childLocal = bound;
        }
        active = true;
        submitCurrentOps();
    }

    /** The address accepted sockets are local to: null while not bound, or when bound to a wildcard. */
    InetSocketAddress childLocal() {
        return childLocal;
    }

    /**
     * Gives the sockets accepted from now on {@code TCP_NODELAY} and {@code SO_KEEPALIVE} as asked, by setting them on
     * the listening socket, and only when they change.
     */
    public void childOptions(boolean tcpNoDelay, boolean keepAlive) {
        if (tcpNoDelay == childTcpNoDelay && keepAlive == childKeepAlive) return;
        synchronized (this) { // the client's loop calls this, and with several loops two may at once
            unsure.set(config.getBacklog() + 1);
            try {
                if (tcpNoDelay != childTcpNoDelay) {
                    socket.setTcpNoDelay(tcpNoDelay);
                    childTcpNoDelay = tcpNoDelay;
                }
                if (keepAlive != childKeepAlive) {
                    socket.setKeepAlive(keepAlive);
                    childKeepAlive = keepAlive;
                }
            } catch (IOException closed) {
                // The listener is closing: what it did not take stays as it was, and the next clients' channels,
                // which know what their sockets have, set the options themselves.
            } finally {
                unsure.set(config.getBacklog() + 1); // counted from when the listener has the new options
            }
        }
    }

    @Override
    protected Channel newChildChannel(int fd, byte[] remote, int offset, int len) {
        // The options before the count: read after a change began, the count tells.
        boolean tcpNoDelay = childTcpNoDelay;
        boolean keepAlive = childKeepAlive;
        boolean known = unsure.get() <= 0 || unsure.getAndUpdate(n -> n > 0 ? n - 1 : n) <= 0;
        // An accepted socket is of its listener's family.
        LinuxSocket accepted = LeanSocketChannel.socket(fd, socket.family() == SocketProtocolFamily.INET6);
        return new LeanSocketChannel(this, accepted, remote, offset, len,
                known ? tcpNoDelay : null, known ? keepAlive : null);
    }
}
