package io.jpen.core.engine;

import io.jpen.core.select.Server;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.LeanSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One proxied pair: the client ("down") channel and the server ("up") channel, or a plain pair's two sockets
 * ({@link PlainPair}, which has no channels: {@link #down()} and {@link #up()} are null, and the questions about its
 * sockets go to it). Every field is written by the event loop that owns the pair; the sampler only reads them, so
 * counters are volatile and never locked.
 */
public final class Connection {
    /** Lifecycle of a pair, as shown to operators. */
    public enum State { CONNECTING, ESTABLISHED, HALF_CLOSED, CLOSING, CLOSED }

    private final int id;
    private final Channel down;
    /** A plain pair relayed without channels ({@link PlainPair}); then {@code down} and {@code up} stay null. */
    private final PlainPair plain;
    /**
     * Set at accept, and once more when a PROXY header names the real client (accept_proxy); null while the client
     * channel keeps its peer's address as numbers ({@link LeanSocketChannel#remoteKeptAsNumbers}): asked for, it is
     * made from them, instead of being kept for the connection's life (96 bytes). The client's {@code InetAddress} is
     * this address's, or the PROXY header's ({@link #clientAddress}).
     */
    private volatile SocketAddress clientSocket;
    private final long createdMillis;
    private volatile Channel up;
    /** What relays this pair's bytes (its two relay handlers reach it here); set at accept, on the pair's loop. */
    private Relay relay;
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
    private volatile int graceSeconds = 3;
    /** What the client sent before the server connection existed (clients are read from the start). */
    private java.util.ArrayDeque<io.netty.buffer.ByteBuf> early;

    // ---- its story, for the connection detail (written by the owning loop, read by observers) ----
    private volatile io.jpen.core.select.Choice choice = io.jpen.core.select.Choice.NONE;
    /**
     * A PROXY header's client, UDP counts, HTTP timing, failures, TLS, the end: made when the first of them happens
     * (a plain TCP pair idles without one), see {@link Story}.
     */
    private volatile Story story;
    /**
     * System.nanoTime when the connect attempt started (0: not timed), then, once connected, when it was made: one
     * field for both, as the start is not needed once the connect is done.
     */
    private long markNanos;
    /** How long the connect took; -1 until then. */
    private volatile long connectNanos = -1;

    /**
     * The counters a read updates, written in release mode: the sampler's volatile reads see them in order, and the
     * loop does not wait for a store fence at every read (two or three per read, several per keep-alive request).
     */
    private static final java.lang.invoke.VarHandle BYTES_UP;
    private static final java.lang.invoke.VarHandle BYTES_DOWN;
    private static final java.lang.invoke.VarHandle LAST_ACTIVITY;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            BYTES_UP = l.findVarHandle(Connection.class, "bytesUp", long.class);
            BYTES_DOWN = l.findVarHandle(Connection.class, "bytesDown", long.class);
            LAST_ACTIVITY = l.findVarHandle(Connection.class, "lastActivityMillis", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Connection(int id, Channel down, SocketAddress clientSocket, long nowMillis) {
        this.id = id;
        this.down = down;
        this.plain = null;
        this.clientSocket = clientSocket;
        this.createdMillis = nowMillis;
        this.lastActivityMillis = nowMillis;
    }

    /** A plain pair's connection: its client's address is the pair's. */
    Connection(int id, PlainPair plain, long nowMillis) {
        this.id = id;
        this.down = null;
        this.plain = plain;
        this.createdMillis = nowMillis;
        this.lastActivityMillis = nowMillis;
    }

    /** The event loop the pair's work runs on. */
    io.netty.channel.EventLoop loop() { return plain != null ? plain.loop() : down.eventLoop(); }

    /** Whether the server side is connected (and not yet closed by the end of the pair). */
    public boolean serverConnected() { return plain != null ? plain.serverConnected() : up != null; }

    /**
     * Whether jpen is reading from the client ({@code fromClient}) or the server now: false while what it read waits
     * for the other side to take it (or, for the client, for its server to be connected) and once that side is done.
     */
    public boolean reading(boolean fromClient) {
        if (plain != null) return plain.reading(fromClient);
        Channel ch = fromClient ? down : up;
        return ch != null && ch.isActive() && ch.config().isAutoRead();
    }

    /** The client's socket descriptor, -1 when closed or hidden (NIO). */
    public int downFd() { return plain != null ? plain.downFd() : fd(down); }
    /** The server's socket descriptor, -1 when none, closed or hidden. */
    public int upFd() { return plain != null ? plain.upFd() : fd(up); }

    private static int fd(Channel ch) {
        if (ch instanceof io.netty.channel.unix.UnixChannel u && ch.isOpen()) {
            try {
                return u.fd().intValue();
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }

    public int id() { return id; }

    /** Its id: the connection table is keyed by the connection (ConnectionTable). Equal only to itself. */
    @Override
    public int hashCode() { return id; }
    public Channel down() { return down; }
    public Channel up() { return up; }
    Relay relay() { return relay; }
    void relay(Relay r) { this.relay = r; }
    public InetAddress clientAddress() {
        io.jpen.core.engine.proxy.ProxyOrigin o = origin();
        if (o != null) return o.clientAddress();
        if (plain != null) return plain.clientAddress();
        SocketAddress a = clientSocket;
        return a == null && down instanceof LeanSocketChannel l ? l.remoteInetAddress() : Relay.clientAddress(a);
    }
    public SocketAddress clientSocket() {
        SocketAddress a = clientSocket;
        if (a == null && plain != null) return plain.clientSocket();
        return a != null || !(down instanceof LeanSocketChannel l) ? a : l.remoteAddress();
    }
    /** The client's port (0 when it has none), without making its address when it is kept as numbers. */
    public int clientPort() {
        SocketAddress a = clientSocket;
        if (a == null && plain != null) return plain.clientPort();
        if (a == null && down instanceof LeanSocketChannel l) return l.remotePort();
        return a instanceof java.net.InetSocketAddress isa ? isa.getPort() : 0;
    }
    /** The peer whose PROXY header named this client, or null when the client connected directly. */
    public SocketAddress via() {
        io.jpen.core.engine.proxy.ProxyOrigin o = origin();
        return o == null ? null : o.via();
    }
    public long createdMillis() { return createdMillis; }
    public long lastActivityMillis() { return lastActivityMillis; }
    public int target() { return target; }
    public State state() { return state; }
    /** Bytes client to server read so far (Pen's count, as penctl and the status page show it). */
    public long bytesUp() { return bytesUp; }
    /** Bytes server to client read so far. */
    public long bytesDown() { return bytesDown; }

    /**
     * Bytes client to server that were written to the server's socket: read, less what still waits in jpen for the
     * server to take it. Observers' rates use this, so they follow what the receiver takes, not the sender's burst.
     * (Netty's pending count includes a small overhead per queued write, and drops just after the write returns, so
     * while writes wait this is a little low; once nothing waits, it equals {@link #bytesUp}.)
     */
    public long deliveredUp() { return plain != null ? Math.max(0, bytesUp - plain.pending(true)) : delivered(bytesUp, up); }
    /** Bytes server to client that were written to the client's socket (see {@link #deliveredUp}). */
    public long deliveredDown() { return plain != null ? Math.max(0, bytesDown - plain.pending(false)) : delivered(bytesDown, down); }

    private long delivered(long read, Channel to) {
        if (datagrams() != null || to == null) return read; // a UDP stream's "down" is the shared listener
        return Math.max(0, read - pendingBytes(to));
    }

    /** Bytes client to server still waiting in jpen for the server to take them (read by the sampler). */
    public long pendingUp() {
        if (plain != null) return Math.min(bytesUp, plain.pending(true));
        Channel u = up;
        return datagrams() != null || u == null ? 0 : Math.min(bytesUp, pendingBytes(u));
    }

    /** Bytes server to client still waiting in jpen for the client to take them (read by the sampler). */
    public long pendingDown() {
        if (plain != null) return Math.min(bytesDown, plain.pending(false));
        return datagrams() != null ? 0 : Math.min(bytesDown, pendingBytes(down));
    }
    /** Datagrams client to server and back (UDP streams only; 0 for TCP). */
    public long datagramsUp() { Datagrams d = datagrams(); return d == null ? 0 : d.up; }
    public long datagramsDown() { Datagrams d = datagrams(); return d == null ? 0 : d.down; }
    /** Whether this is a UDP stream rather than a TCP pair. */
    public boolean datagram() { return datagrams() != null; }

    private Datagrams datagrams() {
        Story st = story;
        return st == null ? null : st.datagrams;
    }

    private io.jpen.core.engine.proxy.ProxyOrigin origin() {
        Story st = story;
        return st == null ? null : st.origin;
    }

    /** Makes this a UDP stream, whose "down" is the shared listener: closing a stream must never close that. */
    void closer(Runnable r) { story().datagrams = new Datagrams(r); }

    /** A UDP stream's own state; a closed stream's copy has the counts and no closer. */
    private static final class Datagrams {
        final Runnable closer;
        volatile long up;
        volatile long down;

        Datagrams(Runnable closer) {
            this.closer = closer;
        }
    }

    /** A live UDP stream's closer; null for a TCP pair and for any closed copy. */
    private Runnable closer() {
        Datagrams d = datagrams();
        return d == null ? null : d.closer;
    }

    /** The client a PROXY header named: from now on it stands for this connection's client everywhere. */
    void proxied(io.jpen.core.engine.proxy.ProxyOrigin origin) {
        this.clientSocket = origin.client();
        story().origin = origin;
    }

    /** The address the client connected to: jpen's listener, or the front balancer's as its header said. */
    SocketAddress destination() {
        io.jpen.core.engine.proxy.ProxyOrigin o = origin();
        SocketAddress d = o == null ? null : o.destination();
        return d != null ? d : down.localAddress();
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void countDatagramUp() { story.datagrams.up++; }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void countDatagramDown() { story.datagrams.down++; }

    /** A connect attempt to {@code target} begins, chosen for {@code choice} (after server {@code after} if any). */
    void attempt(io.jpen.core.select.Choice choice, int after, long startNanos) {
        this.choice = choice;
        // Only a failover names a server it comes after: the first choice (-1) needs no Story.
        if (after != -1 || story != null) story().choiceAfter = after;
        this.markNanos = startNanos;
    }

    /** The attempt failed: the next one will say failover. */
    void attemptFailed(String why) {
        Story st = story();
        st.failedAttempts++;
        st.lastFailure = why;
    }

    /** The connect completed at {@code nowNanos}: how long it took, or -1 when no attempt was timed. */
    long connectedAt(long nowNanos) {
        long took = markNanos == 0 ? -1 : nowNanos - markNanos;
        markNanos = nowNanos;
        connectNanos = took;
        return took;
    }

    /**
     * The first byte of the server's first answer came at {@code nowNanos}, for a request taken at {@code requestNanos}
     * (counted from the connect if the request came before it). Returns that time; the detail keeps the first.
     */
    long firstByte(long requestNanos, long nowNanos) {
        if (up == null) return -1; // not connected: markNanos is still the attempt's start
        long took = Math.max(0, nowNanos - Math.max(requestNanos, markNanos));
        Story st = story();
        if (st.firstByteNanos < 0) st.firstByteNanos = took;
        return took;
    }

    void tls(io.jpen.core.model.ConnectionDetail.Tls t) { story().tls = t; }

    /** Who ended the pair; only the first word counts. */
    void closedBy(String who) {
        Story st = story();
        if (st.closedBy == null) st.closedBy = who;
    }

    /**
     * What only some pairs have (a PROXY header's origin, UDP counts, HTTP timing, failover, failures, TLS) and every
     * pair has only once it ends: 44 bytes of fields, in an object of their own made when the first is set, so a plain
     * idle TCP pair does not carry them (the connection is 112 bytes instead of 160, the relay it belongs to included,
     * and 5,000 idle pairs keep 5,000 of it). Made once, from whichever thread comes first.
     */
    private static final class Story {
        /** What the PROXY header of a balancer in front said (its address, the one its client connected to). */
        volatile io.jpen.core.engine.proxy.ProxyOrigin origin;
        /** UDP streams only: their datagram counts and how to close them. */
        volatile Datagrams datagrams;
        /** HTTP mode: from the first request to the first byte of its answer; -1 until then. */
        volatile long firstByteNanos = -1;
        /** The server a failover's choice came after; -1 for a first choice. */
        volatile int choiceAfter = -1;
        volatile int failedAttempts;
        volatile String lastFailure;
        volatile String closedBy;
        volatile long closedMillis;
        volatile io.jpen.core.model.ConnectionDetail.Tls tls;
        /** A closed pair's copy only: its server's address (the copy has no channels). */
        volatile SocketAddress serverAddress;
    }

    private static final java.lang.invoke.VarHandle STORY;

    static {
        try {
            STORY = java.lang.invoke.MethodHandles.lookup().findVarHandle(Connection.class, "story", Story.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Story story() {
        Story st = story;
        if (st != null) return st;
        Story made = new Story();
        return STORY.compareAndSet(this, (Story) null, made) ? made : story;
    }

    public io.jpen.core.select.Choice choice() { return choice; }
    public int choiceAfter() { Story st = story; return st == null ? -1 : st.choiceAfter; }
    public int failedAttempts() { Story st = story; return st == null ? 0 : st.failedAttempts; }
    public String lastFailure() { Story st = story; return st == null ? null : st.lastFailure; }
    public long connectNanos() { return connectNanos; }
    public long firstByteNanos() { Story st = story; return st == null ? -1 : st.firstByteNanos; }
    public String closedBy() { Story st = story; return st == null ? null : st.closedBy; }
    public long closedMillis() { Story st = story; return st == null ? 0 : st.closedMillis; }
    public io.jpen.core.model.ConnectionDetail.Tls tlsDetail() { Story st = story; return st == null ? null : st.tls; }
    /** The server this pair went to, whatever its state ({@link #server()} is cleared at close). */
    public SocketAddress serverAddress() {
        if (plain != null) {
            SocketAddress a = plain.serverAddress();
            if (a != null) return a;
        }
        Channel u = up;
        if (u != null) return u.remoteAddress();
        Story st = story;
        return st == null ? null : st.serverAddress;
    }

    /**
     * What the detail view shows of this pair once it has closed, without its channels: the table keeps the last
     * closed pairs for that view, and with their channels (pipelines, configs, buffers: some KiB each) they outlived
     * the young collections and filled the old generation, a full collection every ~10,000 connections.
     */
    Connection closedCopy() {
        Connection c = new Connection(id, null, clientSocket(), createdMillis);
        c.target = target;
        c.state = state;
        c.lastActivityMillis = lastActivityMillis;
        c.bytesUp = bytesUp;
        c.bytesDown = bytesDown;
        Datagrams d = datagrams();
        c.choice = choice;
        c.connectNanos = connectNanos;
        Story st = story();
        Story cs = c.story();
        cs.choiceAfter = st.choiceAfter;
        cs.failedAttempts = st.failedAttempts;
        cs.lastFailure = st.lastFailure;
        cs.closedBy = st.closedBy;
        cs.closedMillis = st.closedMillis;
        cs.tls = st.tls;
        cs.serverAddress = serverAddress();
        cs.origin = st.origin;
        cs.firstByteNanos = st.firstByteNanos;
        if (d != null) {
            Datagrams copy = new Datagrams(null);
            copy.up = d.up;
            copy.down = d.down;
            cs.datagrams = copy;
        }
        c.released = true;
        return c;
    }

    /**
     * Counts this pair against {@code server} from the moment it is chosen, also while the pair waits for a connect
     * slot (pending_max), so the choices made meanwhile see it. Choosing the same server again counts nothing more;
     * another server takes over the count.
     */
    void assign(int target, Server server) {
        if (target == this.target && server == this.server && server != null) return;
        releaseServer();
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
        upConnected();
    }

    /** The server side is connected (a plain pair's socket, or the channel just set). */
    void upConnected() {
        this.state = State.ESTABLISHED;
        // What the client sent while we were still connecting goes to the server that finally took it.
        Server s = server;
        if (s != null && bytesUp > 0) s.addSent(bytesUp);
    }

    void state(State s) { this.state = s; }

    // Written only by the owning event loop; volatile so the sampler sees recent values without a lock.
    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void countUp(int n, long nowMillis) {
        BYTES_UP.setRelease(this, bytesUp + n);
        LAST_ACTIVITY.setRelease(this, nowMillis);
        Server s = server;
        if (s != null && (up != null || plain != null && plain.serverConnected())) s.addSent(n); // before the connect, upConnected() credits it
    }

    void countDown(int n, long nowMillis) {
        BYTES_DOWN.setRelease(this, bytesDown + n);
        LAST_ACTIVITY.setRelease(this, nowMillis);
        Server s = server;
        if (s != null) s.addReceived(n);
    }

    /** Counts a read of {@code n} bytes from the client ({@code fromClient}) or the server. */
    void count(boolean fromClient, int n, long nowMillis) {
        if (fromClient) countUp(n, nowMillis); else countDown(n, nowMillis);
    }

    int graceSeconds() { return graceSeconds; }

    /** Keeps what the client sent before its server is connected; returns how many bytes are kept now. */
    int stash(io.netty.buffer.ByteBuf buf) {
        if (released) {
            // Bytes a decoder passes on after the pair has ended (what followed the PROXY header of a client the ACL
            // refused while the header was being read): nothing would ever drop them.
            buf.release();
            return 0;
        }
        if (early == null) early = new java.util.ArrayDeque<>(2);
        early.add(buf);
        int bytes = 0;
        for (io.netty.buffer.ByteBuf b : early) bytes += b.readableBytes(); // a few reads at most: counted, not kept
        return bytes;
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
    boolean released() { return released; }

    boolean markReleased(long nowMillis) {
        if (released) return false;
        released = true;
        story().closedMillis = nowMillis;
        state = State.CLOSED;
        return true;
    }

    /** Closes both sides after writing what is already queued for them. Safe from any thread. */
    public void close() {
        closedBy("jpen");
        Runnable closer = closer();
        if (closer != null) {
            closer.run();
            return;
        }
        state = state == State.CLOSED ? State.CLOSED : State.CLOSING;
        if (plain != null) {
            plain.closeAfterFlush();
            return;
        }
        closeAfterFlush(down);
        closeAfterFlush(up);
    }

    /** Closes both sides at once, dropping anything still queued (an operator's forced close). */
    public void abort() {
        closedBy("operator");
        Runnable closer = closer();
        if (closer != null) {
            closer.run();
            return;
        }
        if (plain != null) {
            plain.abort();
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
        closedBy("jpen (stopping)");
        Runnable closer = closer();
        if (closer != null) {
            closer.run();
            return io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }
        try {
            if (plain != null) return plain.reset();
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
        if (ch == null || !ch.isOpen()) return; // closed already: another close would only build a promise
        if (!ch.isActive() || nothingQueued(ch)) {
            ch.close();
        } else {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            if (ch.isOpen()) closeIfStuck(ch, pendingBytes(ch));
        }
    }

    /**
     * Whether nothing waits to be written to {@code ch}, neither in its outbound buffer (flushed or not) nor in a
     * handler that could hold bytes back (TLS, HTTP): its pipeline has the relay's handler alone. Then an end or a
     * close can go at once instead of behind an empty write, with its promise and listener.
     */
    static boolean nothingQueued(Channel ch) {
        ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
        return b != null && b.totalPendingWriteBytes() == 0 && RelayHandler.alone(ch);
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
