package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelId;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.InputEnded;
import io.netty.channel.unix.KnownFamilySockets;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AlreadyConnectedException;
import java.util.concurrent.Executor;

/**
 * jpen's epoll TCP channel: Netty's {@code EpollSocketChannel} without the system calls a proxied connection does not
 * need. Netty's asks the kernel for both addresses when a socket is accepted or connected ({@code getsockname},
 * {@code getpeername}), sets and reads options in its config, asks for {@code SO_LINGER} on every close, shuts the
 * input of a socket whose peer ended it ({@code SHUT_RD}, which changes nothing on the wire), and removes a socket
 * from the epoll set just before closing it. Here the client's address is the one accept returned, the server's the
 * one jpen connected to, the local address the listener's own when it listens on one address and otherwise asked of
 * the kernel only when something wants it (a PROXY header, a status line); options are remembered
 * ({@link LeanSocketConfig}); a socket is closed before it leaves the epoll set, which the kernel then does by itself.
 *
 * <p>In Netty's package so it can extend Netty's package-private channel base; only {@code io.jpen.core.engine}
 * makes these channels (Transport).
 */
public final class LeanSocketChannel extends AbstractEpollStreamChannel {
    static {
        SharedIoOps.ensure(); // interest and event sets shared, not made per change (SharedIoOps)
    }

    // Netty's constructors also ask the kernel each new socket's family (getsockname): here it is the one jpen chose
    // or its listener's (KnownFamilySockets).
    private final LeanSocketConfig config;
    private final Channel parent;
    /**
     * An accepted IPv4 client's address and port as numbers (port 0: not kept so, see {@link #REMOTE}). Its
     * {@code InetSocketAddress} with the address behind it is 96 bytes for the connection's whole life; asked for,
     * it is made anew, which only the accept, the server choice, the close and the detail views do.
     */
    private final int remoteIp4;
    private final char remotePort;

    /** A new socket for a connection of {@code family} (null: dual-stack), not connected yet. */
    public LeanSocketChannel(SocketProtocolFamily family) {
        super(newSocket(Socket.shouldUseIpv6(family)), false);
        this.parent = null;
        this.remoteIp4 = 0;
        this.remotePort = 0;
        this.config = new LeanSocketConfig(this, false, false);
    }

    /**
     * An accepted socket, local to its listener's address when that is one address (else asked of the kernel when
     * wanted); {@code tcpNoDelay}, {@code keepAlive}: what the socket inherited from its listener, null if
     * not known.
     */
    LeanSocketChannel(LeanServerSocketChannel parent, LinuxSocket fd, byte[] address, int offset, int len,
                      Boolean tcpNoDelay, Boolean keepAlive) {
        // Netty's constructor for accepted sockets reads the local address; this one reads nothing.
        super(fd, false);
        this.parent = parent;
        if (len == IPV4_ACCEPTED) {
            // As Netty encodes what accept returned: the address's four bytes, then the port as an int.
            this.remoteIp4 = bigEndianInt(address, offset);
            this.remotePort = (char) bigEndianInt(address, offset + 4);
        } else {
            this.remoteIp4 = 0;
            this.remotePort = 0;
            remote(NativeInetAddress.address(address, offset, len));
        }
        this.active = true;
        this.config = new LeanSocketConfig(this, tcpNoDelay, keepAlive);
    }

    /**
     * The peer's address when not kept as numbers (the server connected to, an IPv6 client): Netty's own field, which
     * its {@code remoteAddress0} returns and this channel's connect leaves empty (it reads nothing back), so this
     * channel needs no field of its own for it (with the numbers above, the channel stays 136 bytes).
     */
    private static final VarHandle REMOTE;

    static {
        try {
            REMOTE = MethodHandles.privateLookupIn(AbstractEpollChannel.class, MethodHandles.lookup())
                    .findVarHandle(AbstractEpollChannel.class, "remote", SocketAddress.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private void remote(SocketAddress a) {
        REMOTE.setVolatile(this, a);
    }

    /** The length of an IPv4 address with its port in what Netty's accept returns. */
    private static final int IPV4_ACCEPTED = 8;

    private static int bigEndianInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    /** Whether the peer's address is kept as numbers, and made anew each time it is asked for. */
    public boolean remoteKeptAsNumbers() {
        return remotePort != 0;
    }

    /** The peer's port when its address is kept as numbers, else 0. */
    public int remotePort() {
        return remotePort;
    }

    /** The peer's address alone: when kept as numbers, without making its socket address. */
    public InetAddress remoteInetAddress() {
        if (remotePort != 0) return ipv4(remoteIp4);
        InetSocketAddress r = remoteAddress();
        return r == null ? null : r.getAddress();
    }

    private static InetAddress ipv4(int ip) {
        try {
            byte[] b = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an IPv4 address
        }
    }

    private static LinuxSocket newSocket(boolean ipv6) {
        return socket(KnownFamilySockets.newStreamFd(ipv6), ipv6);
    }

    /** Descriptor {@code fd}'s socket, of the family given: Netty's constructor would ask the kernel which it is. */
    static LinuxSocket socket(int fd, boolean ipv6) {
        LinuxSocket s = KnownFamilySockets.wrap(LinuxSocket.class, fd, ipv6);
        return s != null ? s : new LinuxSocket(fd);
    }

    /** A pipeline whose end can be the relay, without a handler context for it ({@link LeanPipeline}). */
    @Override
    protected DefaultChannelPipeline newChannelPipeline() {
        return new LeanPipeline(this);
    }

    /**
     * Makes {@code end} the last stop of this channel's inbound events, as a handler added last would be, from when it
     * says it is {@linkplain LeanPipeline.End#attached attached}: it becomes this channel's read sizing, where the
     * pipeline finds it. Only on this channel's event loop, or before it is registered; before the first read when it
     * is to size the reads.
     */
    public void pipelineEnd(LeanPipeline.End end) {
        if (config.getRecvByteBufAllocator() != end) config.setRecvByteBufAllocator(end);
    }

    /**
     * A counter instead of Netty's clock, random and hash per channel ({@link LeanChannelId}), kept in the channel's
     * unsafe, which is the id: Netty asks for the id just before the unsafe, so the unsafe is made here and
     * {@link #newUnsafe} hands out the same object.
     */
    @Override
    protected ChannelId newId() {
        return new LeanUnsafe();
    }

    @Override
    public Channel parent() {
        return parent;
    }

    @Override
    public LeanSocketConfig config() {
        return config;
    }

    /** Kept as numbers, a new object each time (Netty's would keep the first for the channel's life). */
    @Override
    public InetSocketAddress remoteAddress() {
        if (remotePort != 0) return new InetSocketAddress(ipv4(remoteIp4), remotePort);
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    /** Netty's {@code AbstractChannel} keeps what this returns, so the kernel is asked at most once. */
    @Override
    protected SocketAddress localAddress0() {
        SocketAddress l = parent instanceof LeanServerSocketChannel listener ? listener.childLocal() : null;
        if (l == null && active && socket.isOpen()) l = socket.localAddress();
        return l;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remotePort != 0 ? remoteAddress() : super.remoteAddress0();
    }

    /** Netty's, less the address read-back: the remote is the address connected to, the local one asked for later. */
    @Override
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        SocketAddress to = remoteAddress instanceof Destination d ? d.address : remoteAddress;
        if (localAddress instanceof InetSocketAddress l) checkResolvable(l);
        if (to instanceof InetSocketAddress r) checkResolvable(r);
        if (super.remoteAddress0() != null || remotePort != 0) throw new AlreadyConnectedException();
        if (localAddress != null) socket.bind(localAddress);
        boolean connected = doConnect0(to);
        if (connected) remote(to);
        return connected;
    }

    @Override
    protected void doClose() throws Exception {
        // Closed first, the socket leaves the epoll set by itself: Netty's deregistration then skips EPOLL_CTL_DEL.
        // Nothing can reuse the descriptor in this epoll set in between: both happen on this loop, one after the other.
        socket.close();
        super.doClose();
    }

    @Override
    protected AbstractEpollUnsafe newUnsafe() {
        return (LeanUnsafe) id(); // made by newId, which Netty's constructor calls first
    }

    /**
     * The address being connected to, in a wrapper that is no {@code InetSocketAddress}: Netty asks the kernel for the
     * peer's address ({@code getpeername}) when a connect completes only for those. Its text is the address's own, as
     * connect errors quote it.
     */
    private static final class Destination extends SocketAddress {
        private static final long serialVersionUID = 1L;
        private final transient SocketAddress address;

        Destination(SocketAddress address) {
            this.address = address;
        }

        @Override
        public String toString() {
            return String.valueOf(address);
        }
    }

    /** The channel's unsafe, and its id ({@link #newId}). */
    final class LeanUnsafe extends EpollStreamUnsafe implements ChannelId {
        private static final long serialVersionUID = 1L;
        final int idValue = LeanChannelId.next();

        @Override
        public String asShortText() {
            return LeanChannelId.shortText(idValue);
        }

        @Override
        public String asLongText() {
            return LeanChannelId.longText(idValue);
        }

        @Override
        public int compareTo(ChannelId o) {
            return LeanChannelId.compare(idValue, o);
        }

        @Override
        public int hashCode() {
            return idValue;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LeanUnsafe other && other.idValue == idValue;
        }

        @Override
        public String toString() {
            return asShortText();
        }

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (!(remoteAddress instanceof InetSocketAddress)) {
                super.connect(remoteAddress, localAddress, promise);
                return;
            }
            if (!promise.isVoid()) {
                // Before Netty completes it (which may happen inside connect): the remote is known once connected.
                promise.addListener(f -> {
                    if (f.isSuccess()) remote(remoteAddress);
                });
            }
            super.connect(new Destination(remoteAddress), localAddress, promise);
        }

        @Override
        protected Executor prepareToClose() {
            // Netty's EpollSocketChannel, with the linger jpen set remembered instead of asked for on every close.
            if (isOpen() && config.getSoLinger() > 0) {
                registration().cancel();
                return GlobalEventExecutor.INSTANCE;
            }
            return null;
        }

        @Override
        void shutdownInput(boolean allDataRead) {
            if (allDataRead && config.isAllowHalfClosure() && !socket.isInputShutdown()) {
                // The peer ended its output: shutdown(SHUT_RD) would change nothing on the wire, so only Netty's
                // record of it is kept, and what Netty does next (stop reading, tell the pipeline).
                InputEnded.mark(socket);
                if (shouldStopReading(config)) clearEpollIn0();
                pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
            super.shutdownInput(allDataRead);
        }
    }
}
