package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.NativeInetAddress;
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
        boolean known = optionsKnown();
        return new LeanSocketChannel(this, acceptedSocket(fd), remote, offset, len,
                known ? tcpNoDelay : null, known ? keepAlive : null);
    }

    private boolean optionsKnown() {
        return unsure.get() <= 0 || unsure.getAndUpdate(n -> n > 0 ? n - 1 : n) <= 0;
    }

    /** An accepted socket is of its listener's family. */
    private LinuxSocket acceptedSocket(int fd) {
        return LeanSocketChannel.socket(fd, socket.family() == SocketProtocolFamily.INET6);
    }

    /** Takes accepted sockets before a channel is made for them (jpen's plain pairs). */
    public interface Clients {
        /** Whether the next accepted socket is to be taken; false leaves it to a channel. */
        boolean wanted();

        /**
         * Takes {@code socket}, whose peer is {@code peer}; {@code tcpNoDelay} and {@code keepAlive}: what it inherited
         * from the listener, null when not known. It owns the socket from now on, and closes it if it cannot go on.
         */
        void take(LeanServerSocketChannel listener, LinuxSocket socket, InetSocketAddress peer, Boolean tcpNoDelay,
                  Boolean keepAlive);
    }

    private volatile Clients clients;

    /** Where accepted sockets go first; null: every one gets a channel. */
    public void clients(Clients c) {
        this.clients = c;
    }

    @Override
    protected AbstractEpollUnsafe newUnsafe() {
        return new LeanServerUnsafe();
    }

    /** Netty's server unsafe, whose accepted sockets may go to {@link Clients} instead of a channel each. */
    private final class LeanServerUnsafe extends AbstractEpollUnsafe {
        // The remote address of what accept returned: 24 bytes at most, after a byte for its length.
        private final byte[] acceptedAddress = new byte[25];

        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException()); // a listener does not connect
        }

        @Override
        void epollInReady() {
            assert eventLoop().inEventLoop();
            final ChannelConfig config = config();
            if (shouldBreakEpollInReady(config)) {
                clearEpollIn0();
                return;
            }
            final EpollRecvByteAllocatorHandle allocHandle = recvBufAllocHandle();
            final ChannelPipeline pipeline = pipeline();
            allocHandle.reset(config);
            allocHandle.attemptedBytesRead(1);
            Throwable exception = null;
            int accepted = 0;
            try {
                try {
                    do {
                        allocHandle.lastBytesRead(socket.accept(acceptedAddress));
                        if (allocHandle.lastBytesRead() == -1) break; // nothing more waits
                        allocHandle.incMessagesRead(1);
                        accepted++;
                        readPending = false;
                        int fd = allocHandle.lastBytesRead();
                        Clients c = clients;
                        if (c != null && c.wanted()) {
                            take(c, fd);
                        } else {
                            pipeline.fireChannelRead(newChildChannel(fd, acceptedAddress, 1, acceptedAddress[0]));
                        }
                    } while (allocHandle.continueReading() || moreToAccept(accepted, config));
                } catch (Throwable t) {
                    exception = t;
                }
                allocHandle.readComplete();
                pipeline.fireChannelReadComplete();
                if (exception != null) pipeline.fireExceptionCaught(exception);
            } finally {
                if (shouldStopReading(config)) clearEpollIn();
            }
        }

        /**
         * A level-triggered listener tells of waiting clients again at the next wait, and Netty's handle stops after
         * one accept (an accept returns a descriptor, not the byte count it compares): clients that arrive together
         * are taken together, as Pen takes them, up to the read limit, until the queue is empty (the accept that says so
         * costs one call), so their events come back in one wait instead of one wait each.
         */
        private boolean moreToAccept(int accepted, ChannelConfig config) {
            return config.isAutoRead() && accepted < config.getMaxMessagesPerRead();
        }

        private void take(Clients c, int fd) {
            // The options before the count: read after a change began, the count tells (newChildChannel).
            boolean tcpNoDelay = childTcpNoDelay;
            boolean keepAlive = childKeepAlive;
            boolean known = optionsKnown();
            InetSocketAddress peer = NativeInetAddress.address(acceptedAddress, 1, acceptedAddress[0]);
            c.take(LeanServerSocketChannel.this, acceptedSocket(fd), peer, known ? tcpNoDelay : null,
                    known ? keepAlive : null);
        }
    }
}
