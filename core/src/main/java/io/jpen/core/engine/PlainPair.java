package io.jpen.core.engine;

import io.jpen.core.model.Reasons;
import io.jpen.core.model.FastClose;
import io.jpen.core.model.Settings;
import io.jpen.core.select.Server;
import io.jpen.core.select.ServerSelector;
import io.jpen.core.select.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LeanServerSocketChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.KnownFamilySockets;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A plain TCP pair (no TLS, HTTP rewriting, dump or PROXY header on it) relayed on its event loop's epoll set directly:
 * two sockets registered as Netty {@link EpollIoHandle}s, bytes read into one buffer per loop and sent on at once, as
 * Pen does, with no channel, pipeline, promise or pooled buffer per read. Netty's channel machinery cost a new
 * connection about 9 µs of Java and a new kind of traffic a round of recompilation (docs/performance.md, "A pair
 * without channels"); everything else a pair does is the Netty path's: Pen's server choice and failover, -t per
 * connect attempt, half-closure, splice for bulk data, a slow reader holding its writer back, the grace time of a
 * closing side, Pen's -l log; what both paths share is the relay's ({@link Relay#attemptFailedAt}, {@link Relay#connectedTo}, {@link Relay#released}).
 *
 * <p>Edge-triggered: each socket is added to the set once, wanting input and output, and never changed, so a pair
 * costs the kernel two epoll_ctl calls. A read shorter than the buffer emptied the socket; a side whose reading
 * paused (the other side full) is read again when the other side drains. A client is read once its server is
 * connected, as Pen reads it: what it sends before stays in the kernel (the channel path keeps it, up to a bound).
 * Everything runs on the pair's loop.
 */
final class PlainPair {
    /** The relay's log, whichever path a pair takes: Pen's -d and penctl's debug turn it on. */
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    /** One read's most: also what marks a direction as bulk, to be spliced from then on. */
    static final int READ = 64 * 1024;
    /** Reads below a splice chunk in a row after which a spliced direction goes back to copying. */
    private static final int SMALL_READS_TO_STOP = 4;
    private static final int SMALL = 4096;
    /** Linux's default pipe capacity. */
    private static final int PIPE_BYTES = 64 * 1024;
    /** At most this many pipefuls per event before other sockets get their turn. */
    private static final int PIPEFULS_PER_EVENT = 16;

    private static final int IN = Native.EPOLLIN;
    private static final int OUT = Native.EPOLLOUT;
    private static final int RDHUP = Native.EPOLLRDHUP;
    private static final int ERR = Native.EPOLLERR;
    private static final int HUP = 0x10; // EPOLLHUP: Linux's value, which Netty does not export
    /**
     * What each socket waits for, from its registration to its close: edge-triggered, output included, so no pair
     * ever changes its set (an epoll_ctl each time). An edge of output comes only when a socket had been full, or
     * along with input; a socket that is not full is written at once anyway.
     */
    private static final EpollIoOps EVENTS = EpollIoOps.valueOf(IN | OUT | RDHUP | Native.EPOLLET);

    /** The loop's read buffer: a read is sent on before the next, so one per loop serves every pair on it. */
    private static final FastThreadLocal<ByteBuffer> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
            return ByteBuffer.allocateDirect(READ);
        }
    };

    private final Engine engine;
    private final IoEventLoop loop;
    private final Connection conn;
    private final Side down;
    private Side up;
    private final boolean splice;
    /** The client's address and port as accept gave them. */
    private final InetAddress clientAddress;
    private final int clientPort;
    private InetSocketAddress serverAddress;
    private Attempt attempt;
    private boolean finished;
    /**
     * What the client sent before its server was connected, and how much: read then only when its socket reported an
     * error or hang-up with it (a client is otherwise read once its server is connected, Side#heldEvents).
     */
    private ByteBuf early;
    private int earlyBytes;

    private PlainPair(Relay relay, Engine engine, IoEventLoop loop, LinuxSocket client, InetAddress clientAddress,
                      int clientPort, boolean splice) {
        this.engine = engine;
        this.loop = loop;
        this.clientAddress = clientAddress;
        this.clientPort = clientPort;
        this.splice = splice;
        this.down = new Side(client, true);
        this.conn = engine.connections().registerPlain(this, relay.nowMillis());
        conn.relay(relay);
    }

    /**
     * Takes an accepted client (on its loop): admits it under -x, registers it and starts its first connect. Closes
     * the socket itself when it cannot. {@code nodelay}, {@code keepalive}: what the client socket inherited from the
     * listener, null when unknown (the options were changing).
     */
    static void accepted(Relay relay, Engine engine, LeanServerSocketChannel listener, IoEventLoop loop,
                         LinuxSocket client, InetAddress address, int port, boolean splice, Boolean nodelay,
                         Boolean keepalive) {
        Settings s = engine.settings();
        if (!engine.connections().admit(s.connMax())) {
            engine.events().refused(new InetSocketAddress(address, port), "conn_max " + s.connMax() + " reached");
            closeQuietly(client);
            return;
        }
        PlainPair p = new PlainPair(relay, engine, loop, client, address, port, splice);
        p.begin(s, listener, nodelay, keepalive);
    }

    private void begin(Settings s, LeanServerSocketChannel listener, Boolean nodelayInherited,
                       Boolean keepaliveInherited) {
        conn.graceSeconds(s.timeoutSeconds());
        try {
            // The listener keeps the client side's options, so the next client has them without a call of its own.
            listener.childOptions(s.tcpNodelay(), s.keepalive());
            if (nodelayInherited == null || s.tcpNodelay() != nodelayInherited) down.sock.setTcpNoDelay(s.tcpNodelay());
            if (keepaliveInherited == null || s.keepalive() != keepaliveInherited) down.sock.setKeepAlive(s.keepalive());
            down.register();
        } catch (Exception e) {
            log.warn("setting up a client connection failed: {}", e.toString());
            down.close();
            finishIfDone();
            return;
        }
        ServerSelector.Attempts attempts = engine.selector().attempts(engine.serverArray(), s, engine.acl(),
                clientAddress, clientPort);
        tryTarget(attempts, attempts.first(conn.relay().nowMillis()), s);
    }

    // ---- what the connection and the views ask ----

    EventLoop loop() { return loop; }
    InetAddress clientAddress() { return clientAddress; }
    int clientPort() { return clientPort; }
    SocketAddress clientSocket() { return new InetSocketAddress(clientAddress, clientPort); }
    /** The server connected to; null before. */
    SocketAddress serverAddress() { return up != null && up.connected ? serverAddress : null; }
    int downFd() { return down.fdOrMinus(); }
    int upFd() { Side u = up; return u == null ? -1 : u.fdOrMinus(); }
    /** Whether the server's socket is connected. */
    boolean serverConnected() {
        Side u = up;
        return u != null && u.connected;
    }

    /** Whether the client's ({@code fromClient}) or the server's socket is being read (Connection#reading). */
    boolean reading(boolean fromClient) {
        Side s = fromClient ? down : up;
        return s != null && s.connected && !s.closed && !s.inEnded && !s.paused;
    }

    /** Bytes waiting in jpen for the server (toServer) or the client to take them; read by the sampler. */
    long pending(boolean toServer) {
        Side s = toServer ? up : down;
        return (s == null ? 0 : s.waiting) + (toServer ? earlyBytes : 0);
    }

    // ---- connecting ----

    private void tryTarget(ServerSelector.Attempts attempts, int target, Settings s) {
        if (down.closed) {
            finishIfDone();
            return;
        }
        if (target == Target.NONE) {
            conn.relay().refused(conn, attempts, s);
            closeSide(down);
            return;
        }
        InetSocketAddress address = engine.addressOf(target);
        if (address == null) {
            tryTarget(attempts, attempts.next(), s);
            return;
        }
        Server server = Target.regular(target) ? engine.serverArray()[target] : null;
        conn.assign(target, server);
        if (!engine.pendingStarted()) {
            engine.awaitPendingSlot(loop, () -> tryTarget(attempts, target, s));
            return;
        }
        Side u;
        try {
            boolean ipv6 = address.getAddress() instanceof Inet6Address;
            u = new Side(KnownFamilySockets.wrap(LinuxSocket.class, KnownFamilySockets.newStreamFd(ipv6), ipv6), false);
        } catch (RuntimeException e) {
            attemptFailed(attempts, target, server, address, e, s);
            return;
        }
        up = u;
        serverAddress = address;
        Attempt a = new Attempt(attempts, target, server, address, s);
        attempt = a;
        conn.attempt(attempts.choice(), attempts.after(), System.nanoTime());
        try {
            if (s.tcpNodelay()) u.sock.setTcpNoDelay(true);
            if (s.keepalive()) u.sock.setKeepAlive(true);
            u.connecting = true;
            u.register();
            long millis = s.timeoutSeconds() * 1000L;
            if (millis > 0) a.timeout = loop.schedule(a, millis, TimeUnit.MILLISECONDS);
            if (u.sock.connect(address)) {
                connected(0);
            } else {
                u.add();
            }
        } catch (IOException | RuntimeException e) {
            if (attempt == a) a.failed(e); else failed(u, e); // connected already: the pair's relay failed
        }
    }

    /** One connect attempt, and its timer (Pen's -t). */
    private final class Attempt implements Runnable {
        final ServerSelector.Attempts attempts;
        final int target;
        final Server server;
        final InetSocketAddress address;
        final Settings s;
        ScheduledFuture<?> timeout;

        Attempt(ServerSelector.Attempts attempts, int target, Server server, InetSocketAddress address, Settings s) {
            this.attempts = attempts;
            this.target = target;
            this.server = server;
            this.address = address;
            this.s = s;
        }

        /** The connect's time is up. */
        @Override
        public void run() {
            if (attempt != this) return;
            failed(new ConnectTimeoutException("connection timed out after " + s.timeoutSeconds() * 1000L + " ms: "
                    + address));
        }

        void failed(Throwable cause) {
            if (attempt != this) return;
            attempt = null;
            if (timeout != null) timeout.cancel(false);
            up.closeNow();
            attemptFailed(attempts, target, server, address, cause, s);
        }

        /** The client is gone while connecting: the attempt ends without a failover. */
        void abandon() {
            if (attempt != this) return;
            attempt = null;
            if (timeout != null) timeout.cancel(false);
            engine.pendingEnded();
            up.closeNow();
            conn.releaseServer();
        }
    }

    private void attemptFailed(ServerSelector.Attempts attempts, int target, Server server, InetSocketAddress address,
                               Throwable cause, Settings s) {
        engine.pendingEnded();
        conn.releaseServer();
        String shortage = LocalShortage.of(cause);
        if (shortage != null) {
            engine.shortage().clientRefused(clientSocket(), shortage, loop);
            closeSide(down);
            return;
        }
        conn.relay().attemptFailedAt(conn, target, server, address, cause);
        tryTarget(attempts, attempts.next(), s);
    }

    /**
     * {@code ev}: the event that told of the connect (0 when it completed at once), which also tells whether the
     * server has sent something already, or ended.
     */
    private void connected(int ev) throws IOException {
        Attempt a = attempt;
        attempt = null;
        if (a.timeout != null) a.timeout.cancel(false);
        engine.pendingEnded();
        up.connecting = false;
        if (down.closed) {
            up.closeNow();
            conn.releaseServer();
            finishIfDone();
            return;
        }
        long took = conn.connectedAt(System.nanoTime());
        up.connected = true;
        conn.upConnected();
        conn.relay().connectedTo(conn, took, serverAddress);
        up.add(); // added at the connect, unless the connect completed at once
        if (early != null) {
            // What the client sent meanwhile goes first.
            up.queue = early;
            up.waiting = earlyBytes;
            early = null;
            earlyBytes = 0;
            flush(up);
            if (up.closed) return;
        }
        int held = down.heldEvents;
        down.heldEvents = 0;
        if (down.inEnded) {
            ended(down);
        } else if (down.paused) {
            if (up.waiting == 0) {
                down.paused = false;
                readFrom(down, true);
            }
        } else if ((held & (IN | RDHUP)) != 0) {
            readFrom(down, held);
        }
        // What the server sent first (a greeting) came with the connect's event, and edge-triggered epoll will
        // not tell of it again: read now, to its end if it has ended. A server that waits for the request (HTTP) has
        // sent nothing, and is not asked.
        if (!up.closed && (ev & (IN | RDHUP | ERR | HUP)) != 0) readFrom(up, ev);
    }

    // ---- relaying ----

    /** One socket of the pair, and what waits to be written to it. */
    private final class Side implements EpollIoHandle {
        final LinuxSocket sock;
        final boolean client;
        IoRegistration reg;
        /** In the loop's epoll set (with {@link #EVENTS}, which never change). */
        boolean added;
        boolean connecting;
        boolean connected;
        boolean inEnded;
        boolean outShut;
        boolean closed;
        /** Reading stopped until the other side drains (or, for the client, until its server is connected). */
        boolean paused;
        /** Closing once what waits for it is written (closeAfterFlush). */
        boolean closing;
        /** Bytes read from the other side that this socket has not taken yet: {@link #queue}, then the pipe. */
        long waiting;
        ByteBuf queue;
        /** This direction (into this socket) splices: its pipe, and how much the pipe holds. */
        FileDescriptor pipeRead;
        FileDescriptor pipeWrite;
        long piped;
        /**
         * A client's events while its server is not connected: its bytes stay in the kernel until then, as Pen leaves
         * them, instead of being copied into a buffer of jpen's and out again.
         */
        int heldEvents;
        /** Set on the side read from: whether its reads are spliced, and small reads in a row since. */
        boolean splicing;
        boolean noSplice;
        byte smallReads;

        Side(LinuxSocket sock, boolean client) {
            this.sock = sock;
            this.client = client;
            this.connected = client;
        }

        Side peer() { return client ? up : down; }

        @Override
        public FileDescriptor fd() { return sock; }

        int fdOrMinus() { return closed ? -1 : sock.intValue(); }

        void register() throws IOException {
            io.netty.util.concurrent.Future<IoRegistration> f = loop.register(this);
            reg = f.getNow();
            if (reg == null) throw new IOException("the event loop refused the socket: " + f.cause());
            if (!connecting) add();
        }

        /** Joins the loop's epoll set; a server side only once its connect has begun. */
        void add() {
            if (added || closed) return;
            added = true;
            reg.submit(EVENTS);
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            int ev = ((EpollIoEvent) event).ops().value();
            try {
                if (connecting) {
                    if ((ev & (OUT | ERR | HUP)) == 0) return;
                    Attempt a = attempt;
                    try {
                        if (!sock.finishConnect()) return;
                    } catch (IOException e) {
                        if (a != null) a.failed(e);
                        return;
                    }
                    connected(ev);
                    return;
                }
                if (client && (up == null || !up.connected) && (ev & (ERR | HUP)) == 0) {
                    heldEvents |= ev; // read once the server is connected (an error is read now: the client is gone)
                    return;
                }
                if ((ev & OUT) != 0 && waiting > 0) flush(this);
                if (!closed && (ev & (IN | RDHUP | ERR | HUP)) != 0) readFrom(this, ev);
            } catch (IOException | RuntimeException e) {
                failed(this, e);
            }
        }

        /** Keeps bytes {@code from}..{@code to} of the loop's buffer until this socket takes them. */
        void append(ByteBuffer scratch, int from, int to) {
            queue = PlainPair.append(queue, scratch, from, to);
            waiting += to - from;
        }

        void closeNow() {
            if (closed) return;
            closed = true;
            closeQuietly(sock);
            if (reg != null) reg.cancel(); // after the close: the kernel has taken it out of the set already
            if (queue != null) {
                queue.release();
                queue = null;
            }
            waiting = 0;
            closePipe();
        }

        void closePipe() {
            if (pipeRead == null) return;
            closeQuietly(pipeRead);
            closeQuietly(pipeWrite);
            pipeRead = null;
            pipeWrite = null;
            piped = 0;
        }

        @Override
        public void close() {
            // The loop is shutting down with this socket still registered.
            closeNow();
        }
    }

    private static ByteBuf append(ByteBuf to, ByteBuffer scratch, int from, int end) {
        int n = end - from;
        if (to == null) to = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(n, 1024));
        scratch.clear().position(from).limit(end);
        to.writeBytes(scratch);
        scratch.clear();
        return to;
    }

    /** Reads what an event {@code ev} tells of. */
    private void readFrom(Side src, int ev) throws IOException {
        // The peer's end (RDHUP without an error) had come when the event was made: everything it sent before it is
        // queued already, so a read shorter than the buffer has reached the end, and no read of nothing is needed
        // to learn it (one system call less per side that sends its last bytes and its end together, as a server
        // answering "Connection: close" does).
        readFrom(src, (ev & (RDHUP | ERR | HUP)) != 0, (ev & (RDHUP | ERR)) == RDHUP);
    }

    private void readFrom(Side src, boolean toEnd) throws IOException {
        readFrom(src, toEnd, false);
    }

    /**
     * Reads what {@code src} has and sends it on; {@code toEnd}: read until the socket says it has nothing (its peer
     * ended, or reading resumes after a pause), not only until a short read; {@code endQueued}: the peer's end is
     * known to follow what is queued.
     */
    private void readFrom(Side src, boolean toEnd, boolean endQueued) throws IOException {
        Side dst = src.peer();
        ByteBuffer scratch = SCRATCH.get();
        long address = Buffer.memoryAddress(scratch);
        while (!src.closed && !src.inEnded && !src.paused) {
            if (src.splicing && dst != null && dst.connected && !dst.closed) {
                int r = spliceFrom(src, dst);
                if (r > 0) return; // paused, or a turn's worth moved: the next edge or the drain goes on
                if (r == 0 && !toEnd) return;
                // nothing moved: an end of stream, or nothing waiting; a read tells
            }
            int n = src.sock.recvAddress(address, 0, READ);
            if (n == 0) return;
            if (n < 0) {
                ended(src);
                return;
            }
            long now = conn.relay().nowMillis();
            conn.count(src.client, n, now);
            if (src.client) logRequest(scratch, n, now);
            if (dst == null || !dst.connected) {
                // Before the server is connected: kept for it, up to a bound, then the client waits.
                if (!src.client) return;
                early = append(early, scratch, 0, n);
                earlyBytes += n;
                if (earlyBytes >= RelayHandler.EARLY_LIMIT) {
                    src.paused = true;
                    return;
                }
            } else {
                if (dst.closed) return;
                send(dst, scratch, address, n);
                if (dst.waiting > 0) {
                    src.paused = true;
                    return;
                }
                if (n == READ && splice && !src.noSplice && !(src.client && engine.accessLog().enabled())) {
                    startSplicing(src, dst);
                }
            }
            if (n < READ && endQueued) {
                ended(src);
                return;
            }
            if (n < READ && !toEnd) return;
        }
    }

    /** Pen's -l log: one line per read from the client, when the log is on (it may be turned on at any time). */
    private void logRequest(ByteBuffer scratch, int n, long nowMillis) {
        AccessLog log = engine.accessLog();
        if (!log.enabled()) return;
        SocketAddress to = conn.server() != null ? conn.server().address() : serverAddress;
        log.request(clientAddress, to, nowMillis / 1000,
                io.netty.buffer.Unpooled.wrappedBuffer(scratch.duplicate().clear().limit(n)));
    }

    /** Sends {@code n} bytes of the loop's buffer to {@code dst}; what it does not take waits, and it wants output. */
    private void send(Side dst, ByteBuffer scratch, long address, int n) throws IOException {
        int w = dst.waiting > 0 ? 0 : dst.sock.sendAddress(address, 0, n);
        if (w < n) {
            dst.append(scratch, w, n);
        }
    }

    /** Writes what waits for {@code dst}; once all of it is taken, its reader reads again and any end is passed on. */
    private void flush(Side dst) throws IOException {
        if (dst.queue != null) {
            ByteBuf q = dst.queue;
            int w = dst.sock.sendAddress(q.memoryAddress(), q.readerIndex(), q.writerIndex());
            q.skipBytes(w);
            dst.waiting -= w;
            if (q.isReadable()) {
                return;
            }
            q.release();
            dst.queue = null;
        }
        if (dst.piped > 0) {
            long moved = Native.splice(dst.pipeRead.intValue(), -1, dst.sock.intValue(), -1, dst.piped);
            dst.piped -= moved;
            dst.waiting -= moved;
            if (dst.piped > 0) {
                return;
            }
        }
        if (dst.closing) {
            closeSide(dst);
            return;
        }
        Side src = dst.peer();
        if (src == null) return;
        if (src.inEnded) {
            shutOutput(dst);
        } else if (src.paused && dst.connected) {
            src.paused = false;
            readFrom(src, true);
        }
    }

    private void startSplicing(Side src, Side dst) {
        if (dst.pipeRead == null) {
            try {
                FileDescriptor[] pipe = FileDescriptor.pipe();
                dst.pipeRead = pipe[0];
                dst.pipeWrite = pipe[1];
            } catch (IOException e) {
                src.noSplice = true; // no descriptors for a pipe: copying still works
                return;
            }
        }
        src.splicing = true;
        src.smallReads = 0;
    }

    /**
     * Moves bytes from {@code src}'s socket through the pipe to {@code dst}'s. Returns 1 when it stopped with bytes
     * still to move (the other side is full, or this event's turn is over), 0 when the socket had nothing (or ended:
     * the caller's read tells), -1 when this direction went back to copying.
     */
    private int spliceFrom(Side src, Side dst) throws IOException {
        if (dst.queue != null) return -1;
        if (src.client && engine.accessLog().enabled()) {
            src.splicing = false; // the -l log was turned on: it reads what the client sends
            return -1;
        }
        for (int round = 0; round < PIPEFULS_PER_EVENT; round++) {
            long room = PIPE_BYTES - dst.piped;
            int moved = room <= 0 ? 0 : Native.splice(src.sock.intValue(), -1, dst.pipeWrite.intValue(), -1, room);
            if (moved > 0) {
                conn.count(src.client, moved, conn.relay().nowMillis());
                engine.spliced(src.client, moved);
                dst.piped += moved;
                dst.waiting += moved;
            }
            if (dst.piped > 0) {
                long out = Native.splice(dst.pipeRead.intValue(), -1, dst.sock.intValue(), -1, dst.piped);
                dst.piped -= out;
                dst.waiting -= out;
                if (dst.piped > 0) {
                    src.paused = true;
                    return 1;
                }
            }
            if (moved == 0) return 0;
            if (moved < SMALL && ++src.smallReads >= SMALL_READS_TO_STOP) {
                src.splicing = false;
                return -1;
            }
            if (moved >= SMALL) src.smallReads = 0;
        }
        // A turn's worth moved: more may wait, and edge-triggered epoll will not say so again.
        loop.execute(() -> {
            try {
                readFrom(src, true);
            } catch (IOException | RuntimeException e) {
                failed(src, e);
            }
        });
        return 1;
    }

    /** {@code src}'s peer ended its stream: the end goes on once what waits is written, or the pair closes. */
    private void ended(Side src) throws IOException {
        src.inEnded = true;
        Side dst = src.peer();
        conn.closedBy(src.client ? "client" : "server");
        if (src.client && (dst == null || !dst.connected)) {
            conn.downEof = true; // passed on once the server is connected
            return;
        }
        if (src.client) conn.downEof = true; else conn.upEof = true;
        FastClose fc = engine.settings().fastClose();
        if (src.client ? fc.onClientEof() : fc.onServerEof()) {
            closeAfterFlush();
            return;
        }
        if (down.inEnded && up.inEnded) {
            closeAfterFlush();
            return;
        }
        conn.state(Connection.State.HALF_CLOSED);
        if (dst.waiting == 0) shutOutput(dst);
    }

    private void shutOutput(Side s) {
        if (s.outShut || s.closed) return;
        s.outShut = true;
        try {
            s.sock.shutdown(false, true);
        } catch (IOException e) {
            closeSide(s); // the other end is gone already
        }
    }

    /** A side failed (a reset, a refused write): it closes, and its peer gets what waits for it first. */
    private void failed(Side s, Throwable cause) {
        if (log.isDebugEnabled()) {
            log.debug("connection {} {} side failed: {}", conn.id(), s.client ? "client" : "server",
                    Reasons.of(cause, (String) null));
        }
        if (s.connecting && attempt != null) {
            attempt.failed(cause);
            return;
        }
        conn.closedBy(s.client ? "client" : "server");
        closeSide(s);
        Side p = s.peer();
        if (p != null) closeAfterFlush(p);
        finishIfDone();
    }

    /** Both sides close once what waits for them is written (each within its grace time). */
    void closeAfterFlush() {
        if (!loop.inEventLoop()) {
            loop.execute(this::closeAfterFlush);
            return;
        }
        closeAfterFlush(down);
        if (up != null) closeAfterFlush(up);
        finishIfDone();
    }

    private void closeAfterFlush(Side s) {
        if (s.closed) return;
        if (!s.connected && attempt != null) {
            attempt.abandon(); // not connected yet: the attempt ends here
            finishIfDone();
            return;
        }
        if (s.waiting == 0 || !s.connected) {
            closeSide(s);
            return;
        }
        s.closing = true;
        closeIfStuck(s, s.waiting);
    }

    private void closeIfStuck(Side s, long before) {
        loop.schedule(() -> {
            if (s.closed) return;
            if (s.waiting < before) closeIfStuck(s, s.waiting); else closeSide(s);
        }, conn.graceSeconds(), TimeUnit.SECONDS);
    }

    private void closeSide(Side s) {
        if (s.closed) return;
        s.closeNow();
        Side p = s.peer();
        // A side's close closes its peer once what waits for the peer is written (Relay.sideClosed).
        if (p != null && !p.closed) closeAfterFlush(p);
        finishIfDone();
    }

    /** Closes both at once, dropping what waits (an operator's close, the idle timeout). */
    void abort() {
        if (loop.inEventLoop()) {
            abortNow();
            return;
        }
        try {
            loop.execute(this::abortNow);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            abortNow(); // the loop is gone: nothing else touches the pair any more
        }
    }

    private void abortNow() {
        if (attempt != null) attempt.abandon();
        down.closeNow();
        if (up != null) up.closeNow();
        finishIfDone();
    }

    /** Closes both with a reset (SO_LINGER 0), on the loop; the future says when. */
    io.netty.util.concurrent.Future<?> reset() {
        return loop.submit(() -> {
            lingerZero(down);
            lingerZero(up);
            abortNow();
        });
    }

    private static void lingerZero(Side s) {
        if (s == null || s.closed) return;
        try {
            s.sock.setSoLinger(0);
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void finishIfDone() {
        if (finished || !down.closed || (up != null && !up.closed) || attempt != null) return;
        finished = true;
        if (early != null) {
            early.release();
            early = null;
            earlyBytes = 0;
        }
        conn.relay().released(conn);
    }

    private static void closeQuietly(FileDescriptor fd) {
        try {
            fd.close();
        } catch (IOException ignored) {
            // nothing holds it any more
        }
    }
}
