package io.jpen.core.engine;

import io.jpen.core.select.Server;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One proxied pair: the client ("down") channel and the server ("up") channel. Every field is written by the
 * event loop that owns the pair; the sampler only reads them, so counters are volatile and never locked.
 */
public final class Connection {
    /** Lifecycle of a pair, as shown to operators. */
    public enum State { CONNECTING, ESTABLISHED, HALF_CLOSED, CLOSING, CLOSED }

    private final int id;
    private final Channel down;
    /** Set at accept, and once more when a PROXY header names the real client (accept_proxy). */
    private volatile InetAddress clientAddress;
    private volatile SocketAddress clientSocket;
    /** The balancer in front that sent the PROXY header, and the address its client connected to; else null. */
    private volatile SocketAddress via;
    private volatile SocketAddress destination;
    private final long createdMillis;
    private volatile Channel up;
    private volatile int target;
    private volatile Server server;
    private volatile State state = State.CONNECTING;
    private volatile long lastActivityMillis;
    /** Bytes from client to server, and from server to client. */
    private volatile long bytesUp;
    private volatile long bytesDown;
    boolean downEof;
    boolean upEof;
    private boolean released;
    /** Set for UDP streams, whose "down" is the shared listener: closing a stream must never close that. */
    private Runnable closer;
    private volatile long datagramsUp;
    private volatile long datagramsDown;
    private volatile int graceSeconds = 3;
    /** What the client sent before the server connection existed (epoll reads on RDHUP even with autoRead off). */
    private java.util.ArrayDeque<io.netty.buffer.ByteBuf> early;

    Connection(int id, Channel down, InetAddress clientAddress, SocketAddress clientSocket, long nowMillis) {
        this.id = id;
        this.down = down;
        this.clientAddress = clientAddress;
        this.clientSocket = clientSocket;
        this.createdMillis = nowMillis;
        this.lastActivityMillis = nowMillis;
    }

    public int id() { return id; }
    public Channel down() { return down; }
    public Channel up() { return up; }
    public InetAddress clientAddress() { return clientAddress; }
    public SocketAddress clientSocket() { return clientSocket; }
    /** The peer whose PROXY header named this client, or null when the client connected directly. */
    public SocketAddress via() { return via; }
    public long createdMillis() { return createdMillis; }
    public long lastActivityMillis() { return lastActivityMillis; }
    public int target() { return target; }
    public State state() { return state; }
    public long bytesUp() { return bytesUp; }
    public long bytesDown() { return bytesDown; }
    /** Datagrams client to server and back (UDP streams only; 0 for TCP). */
    public long datagramsUp() { return datagramsUp; }
    public long datagramsDown() { return datagramsDown; }
    /** Whether this is a UDP stream rather than a TCP pair. */
    public boolean datagram() { return closer != null; }

    void closer(Runnable r) { this.closer = r; }

    /** The client a PROXY header named: from now on it stands for this connection's client everywhere. */
    void proxied(io.jpen.core.engine.proxy.ProxyOrigin origin) {
        this.clientAddress = origin.clientAddress();
        this.clientSocket = origin.client();
        this.destination = origin.destination();
        this.via = origin.via();
    }

    /** The address the client connected to: jpen's listener, or the front balancer's as its header said. */
    SocketAddress destination() {
        SocketAddress d = destination;
        return d != null ? d : down.localAddress();
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void countDatagramUp() { datagramsUp++; }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void countDatagramDown() { datagramsDown++; }

    void assign(int target, Server server) {
        this.target = target;
        this.server = server;
        if (server != null) server.acquire();
    }

    /** Gives up the server this pair was counted against (after a failed connect or at close). */
    void releaseServer() {
        Server s = server;
        if (s != null) {
            s.release();
            server = null;
        }
    }

    Server server() { return server; }

    void upConnected(Channel up) {
        this.up = up;
        this.state = State.ESTABLISHED;
        // What the client sent while we were still connecting goes to the server that finally took it.
        Server s = server;
        if (s != null && bytesUp > 0) s.addSent(bytesUp);
    }

    void state(State s) { this.state = s; }

    // Written only by the owning event loop; volatile so the sampler sees recent values without a lock.
    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void countUp(int n, long nowMillis) {
        bytesUp += n;
        lastActivityMillis = nowMillis;
        Server s = server;
        if (s != null && up != null) s.addSent(n); // before the connect, upConnected() credits it
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void countDown(int n, long nowMillis) {
        bytesDown += n;
        lastActivityMillis = nowMillis;
        Server s = server;
        if (s != null) s.addReceived(n);
    }

    void stash(io.netty.buffer.ByteBuf buf) {
        if (early == null) early = new java.util.ArrayDeque<>(2);
        early.add(buf);
    }

    /** Hands what was stashed to the server side, in order. */
    void flushEarly(Channel to) {
        if (early == null) return;
        io.netty.buffer.ByteBuf b;
        while ((b = early.poll()) != null) to.write(b, to.voidPromise());
        early = null;
        to.flush();
    }

    void dropEarly() {
        if (early == null) return;
        io.netty.buffer.ByteBuf b;
        while ((b = early.poll()) != null) b.release();
        early = null;
    }

    /** Marks the end; true only for the first call, so the pair is accounted for exactly once. */
    boolean markReleased() {
        if (released) return false;
        released = true;
        state = State.CLOSED;
        return true;
    }

    /** Closes both sides after writing what is already queued for them. Safe from any thread. */
    public void close() {
        if (closer != null) {
            closer.run();
            return;
        }
        state = state == State.CLOSED ? State.CLOSED : State.CLOSING;
        closeAfterFlush(down);
        closeAfterFlush(up);
    }

    /** Closes both sides at once, dropping anything still queued (an operator's forced close). */
    public void abort() {
        if (closer != null) {
            closer.run();
            return;
        }
        down.close();
        Channel u = up;
        if (u != null) u.close();
    }

    /**
     * Closes both sides with a reset (RST) instead of an end (FIN): what was still in flight is dropped, and each end
     * sees that its transfer was cut off rather than taking a short one for complete (a reader that stops at end of
     * file would). Used when jpen stops with connections left. Unix sockets have no reset and just close. Done on the
     * pair's event loop; the future says when.
     */
    public io.netty.util.concurrent.Future<?> reset() {
        if (closer != null) {
            closer.run();
            return io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }
        try {
            return down.eventLoop().submit(() -> {
                Channel u = up;
                resetting(down);
                resetting(u);
                down.close();
                if (u != null) u.close();
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            abort(); // the event loop is gone already
            return io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }
    }

    private static void resetting(Channel ch) {
        if (ch == null || !ch.isOpen()) return;
        try {
            ch.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException unsupported) {
            // a Unix-domain socket: no reset to give
        }
    }

    /** How long a side gets to take what is queued for it once the pair is closing (Pen's -t, the timeout). */
    void graceSeconds(int seconds) {
        this.graceSeconds = seconds;
    }

    /**
     * Closes {@code ch} once what is queued for it is written. A peer that never reads would hold that write, and
     * so the pair, forever: when a whole grace time passes without the queue shrinking, it is closed anyway and
     * the rest dropped. A peer that is still taking bytes, however slowly, gets everything.
     */
    void closeAfterFlush(Channel ch) {
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            if (ch.isOpen()) closeIfStuck(ch, pendingBytes(ch));
        } else if (ch != null) {
            ch.close();
        }
    }

    private void closeIfStuck(Channel ch, long pendingBefore) {
        ScheduledFuture<?> check = ch.eventLoop().schedule(() -> {
            if (!ch.isOpen()) return;
            long pending = pendingBytes(ch);
            if (pending < pendingBefore) closeIfStuck(ch, pending); else ch.close();
        }, graceSeconds, TimeUnit.SECONDS);
        ch.closeFuture().addListener(f -> check.cancel(false));
    }

    private static long pendingBytes(Channel ch) {
        ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }
}
