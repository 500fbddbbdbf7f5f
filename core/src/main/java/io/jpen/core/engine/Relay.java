package io.jpen.core.engine;

import io.jpen.core.model.Reasons;
import io.jpen.core.http.HttpForwardHandler;
import io.jpen.core.model.FastClose;
import io.jpen.core.model.Settings;
import io.jpen.core.select.Server;
import io.jpen.core.select.ServerSelector;
import io.jpen.core.select.Target;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.LeanSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.NotYetConnectedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The TCP data path: takes each accepted client, picks a server with Pen's rules, connects to it on the client's
 * own event loop, fails over on refusal or timeout, then relays until both sides are done.
 */
final class Relay {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final Engine engine;

    Relay(Engine engine) {
        this.engine = engine;
    }

    /** The engine's time, once per pass of the calling loop ({@link PassClock}). */
    long nowMillis() {
        return PassClock.millis(engine.clock());
    }

    /** A client, accepted and registered with its event loop (on that loop; {@link Accepting}). */
    void accepted(Channel down) {
        Settings s = engine.settings();
        if (!engine.connections().admit(s.connMax())) {
            // Over -x: refuse promptly; established pairs are untouched.
            engine.events().refused(down.remoteAddress(), "conn_max " + s.connMax() + " reached");
            down.close();
            return;
        }
        SocketAddress client = down.remoteAddress();
        InetAddress clientAddress = clientAddress(client);
        // A lean channel keeps an IPv4 client's address as numbers: the connection asks it (Connection#clientSocket).
        boolean asChannel = down instanceof LeanSocketChannel l && l.remoteKeptAsNumbers();
        Connection conn = engine.connections().register(down, asChannel ? null : client, nowMillis());
        conn.graceSeconds(s.timeoutSeconds());
        // The client side's relay handler is also its close listener: one object per side, not two.
        conn.relay(this);
        RelayHandler downRelay = new RelayHandler(conn, true);
        down.closeFuture().addListener(downRelay);
        engine.prepareDown(down, downRelay);
        // accept_proxy: the client is who the header says, so everything that depends on it waits for the header.
        io.jpen.core.model.AcceptProxy acceptProxy = engine.acceptProxy();
        if (acceptProxy.on()) {
            engine.proxyAcceptor().expect(down, clientAddress, acceptProxy, engine.acl(), s.timeoutSeconds() * 1000L,
                    origin -> {
                        conn.proxied(origin);
                        begin(conn, downRelay, engine.settings());
                    });
            return;
        }
        begin(conn, downRelay, s);
    }

    /** Whether the next client is relayed as a plain pair, without channels ({@link PlainPair}). */
    boolean plainPairs() {
        return engine.plainPairs();
    }

    /** A client taken as a plain pair, on its loop. */
    void plainAccepted(io.netty.channel.epoll.LeanServerSocketChannel listener, io.netty.channel.IoEventLoop loop,
                       io.netty.channel.epoll.LinuxSocket client, InetSocketAddress peer, Boolean tcpNoDelay,
                       Boolean keepAlive) {
        PlainPair.accepted(this, engine, listener, loop, client, peer.getAddress(), peer.getPort(), engine.splice(),
                tcpNoDelay, keepAlive);
    }

    /** Client-side handlers, then server selection with the client's address, and the first connect. */
    private void begin(Connection conn, RelayHandler downRelay, Settings s) {
        Channel down = conn.down();
        engine.decorateDown(down, conn);
        downRelay.attach(down);
        ServerSelector.Attempts attempts = engine.selector().attempts(engine.serverArray(), s, engine.acl(),
                conn.clientAddress(), conn.clientPort());
        // On the client's loop and registered already (accepted runs once the channel is registered, a PROXY header's
        // callback on its loop): the connect starts here, without a task queued on the loop per client.
        if (!engine.connectUp(conn)) {
            if (log.isDebugEnabled()) log.debug("connection {} from {} answered by jpen (dummy)", conn.id(), text(conn.clientSocket()));
            return; // dummy mode or similar answers by itself
        }
        tryTarget(conn, attempts, attempts.first(nowMillis()), s);
    }

    /** Pen's -l log: one line per read from a client. */
    void logRequest(Connection conn, io.netty.buffer.ByteBuf data, long nowMillis) {
        AccessLog accessLog = engine.accessLog();
        if (!accessLog.enabled()) return;
        Server server = conn.server();
        Channel up = conn.up();
        SocketAddress to = server != null ? server.address() : up != null ? up.remoteAddress() : null;
        accessLog.request(conn.clientAddress(), to, nowMillis / 1000, data);
    }

    /**
     * Whether this direction's bytes reach the relay as they came off the socket and need not be seen, so they may
     * bypass it (splice): no TLS, HTTP rewriting or dump on the client side, and from the client, no -l log.
     */
    boolean plain(Connection conn, boolean fromClient) {
        if (fromClient && engine.accessLog().enabled()) return false;
        io.netty.channel.ChannelPipeline p = conn.down().pipeline();
        return p.get("tls") == null && p.get("http") == null && p.get(ByteDump.NAME) == null;
    }

    void spliced(boolean fromClient, long bytes) {
        engine.spliced(fromClient, bytes);
    }

    /** {@code host:port} ({@code [v6]:port}) for a log line; a Unix socket's peer as it prints itself. */
    static String text(SocketAddress a) {
        return a instanceof InetSocketAddress isa ? io.netty.util.NetUtil.toSocketAddressString(isa) : String.valueOf(a);
    }

    static InetAddress clientAddress(SocketAddress a) {
        if (a instanceof InetSocketAddress isa && isa.getAddress() != null) return isa.getAddress();
        return InetAddress.getLoopbackAddress(); // Unix-socket clients share one identity
    }

    private void tryTarget(Connection conn, ServerSelector.Attempts attempts, int target, Settings s) {
        Channel down = conn.down();
        if (!down.isActive()) {
            finishIfDone(conn);
            return;
        }
        if (target == Target.NONE) {
            refused(conn, attempts, s);
            down.close();
            return;
        }
        InetSocketAddress address = engine.addressOf(target);
        if (address == null) {
            tryTarget(conn, attempts, attempts.next(), s);
            return;
        }
        Server server = Target.regular(target) ? engine.serverArray()[target] : null;
        conn.assign(target, server);
        if (!engine.pendingStarted()) {
            // pending_max reached: this client's connect waits for another to finish, counted against its server.
            engine.awaitPendingSlot(down.eventLoop(), () -> tryTarget(conn, attempts, target, s));
            return;
        }
        Channel up;
        SocketAddress local;
        RelayHandler upRelay = new RelayHandler(conn, false);
        try {
            up = engine.newUpChannel(address, s, upRelay);
        } catch (RuntimeException e) {
            attemptFailed(conn, attempts, target, server, address, e, s);
            return;
        }
        try {
            HttpForwardHandler http = down.pipeline().get(HttpForwardHandler.class);
            // HTTP mode tunnels only once the server has agreed: it has to see the server's answers.
            if (http != null) up.pipeline().addFirst("http-response", http.responseWatcher());
            local = engine.upLocalAddress(up, conn.clientAddress());
        } catch (RuntimeException e) {
            up.unsafe().closeForcibly();
            attemptFailed(conn, attempts, target, server, address, e, s);
            return;
        }
        // Registering from the client's own loop completes at once; the attempt then connects.
        down.eventLoop().register(up).addListener(new Attempt(conn, attempts, target, server, address, s, up, local,
                upRelay));
    }

    /**
     * One connect attempt: the listener of the server-side channel's registration and then of its connect, and the
     * connect's timer (Pen's -t). One object per attempt instead of a lambda for each of the three.
     */
    private final class Attempt implements ChannelFutureListener, Runnable {
        private final Connection conn;
        private final ServerSelector.Attempts attempts;
        private final int target;
        private final Server server;
        private final InetSocketAddress address;
        private final Settings s;
        private final Channel up;
        private final SocketAddress local;
        private final RelayHandler upRelay;
        private ChannelPromise connecting;
        private ScheduledFuture<?> timeout;

        Attempt(Connection conn, ServerSelector.Attempts attempts, int target, Server server, InetSocketAddress address,
                Settings s, Channel up, SocketAddress local, RelayHandler upRelay) {
            this.conn = conn;
            this.attempts = attempts;
            this.target = target;
            this.server = server;
            this.address = address;
            this.s = s;
            this.up = up;
            this.local = local;
            this.upRelay = upRelay;
        }

        @Override
        public void operationComplete(ChannelFuture f) {
            if (f == connecting) connectDone(f); else registered(f);
        }

        private void registered(ChannelFuture reg) {
            if (!reg.isSuccess()) {
                up.unsafe().closeForcibly();
                attemptFailed(conn, attempts, target, server, address, reg.cause(), s);
                return;
            }
            connecting = up.newPromise();
            conn.attempt(attempts.choice(), attempts.after(), System.nanoTime());
            timeout = scheduleConnectTimeout();
            if (local == null) up.connect(address, connecting); else up.connect(address, local, connecting);
            connecting.addListener(this);
        }

        private void connectDone(ChannelFuture done) {
            if (timeout != null) timeout.cancel(false);
            if (done.isSuccess()) {
                engine.pendingEnded();
                connected(conn, up, upRelay);
            } else {
                // What a Bootstrap does: the JDK closes a socket whose connect failed, epoll does not, and an
                // open one would later report its error to this connection's relay.
                up.close();
                attemptFailed(conn, attempts, target, server, address, done.cause(), s);
            }
        }

        /**
         * Pen's -t for one connect attempt. jpen's own timer rather than Netty's CONNECT_TIMEOUT_MILLIS: Netty keeps
         * its cancelled timer task on the channel for the connection's whole life (63 bytes of heap per idle pair,
         * measured); this one is garbage as soon as the connect completes.
         */
        private ScheduledFuture<?> scheduleConnectTimeout() {
            long millis = s.timeoutSeconds() * 1000L;
            if (millis <= 0) return null;
            return up.eventLoop().schedule(this, millis, TimeUnit.MILLISECONDS);
        }

        /** The connect's time is up. */
        @Override
        public void run() {
            long millis = s.timeoutSeconds() * 1000L;
            if (connecting.tryFailure(new ConnectTimeoutException("connection timed out after " + millis + " ms: " + address))) {
                up.close();
            }
        }
    }

    /** No target is left for this client: told as Pen tells it (the caller closes the client). */
    void refused(Connection conn, ServerSelector.Attempts attempts, Settings s) {
        engine.events().refused(conn.clientSocket(), attempts.denied()
                ? "denied by client_acl " + s.clientAcl() : "no server available");
    }

    /**
     * What a failed connect attempt leaves behind, on either path: the words for the detail view, and the server
     * blacklisted with its event. Not for a local shortage (LocalShortage), where no server is at fault.
     */
    void attemptFailedAt(Connection conn, int target, Server server, InetSocketAddress address, Throwable cause) {
        // Only past the shortage: words for the detail view cost a class load and a regex, which a process out of
        // descriptors may not afford.
        conn.attemptFailed(Reasons.of(cause, text(address)));
        if (server != null) {
            int blacklist = engine.settings().blacklistSeconds();
            boolean news = server.failed(nowMillis(), blacklist);
            engine.events().serverFailed(target, address, cause, news, blacklist);
        }
    }

    /** The server side connected {@code tookNanos} after the attempt began (-1: not timed), to {@code server}. */
    void connectedTo(Connection conn, long tookNanos, SocketAddress server) {
        if (log.isDebugEnabled()) {
            log.debug("connection {} from {} to server {} ({})", conn.id(), text(conn.clientSocket()),
                    Target.name(conn.target()), text(server));
        }
        Server s = conn.server();
        if (s != null && tookNanos >= 0) s.connectLatency().record(nowMillis(), tookNanos);
        if (s != null && s.answered()) engine.events().serverAnswers(conn.target(), server);
    }

    /** The pair is closed on both sides: accounted for once, on either path. */
    void released(Connection conn) {
        if (!conn.released() && conn.markReleased(nowMillis())) {
            conn.dropEarly();
            conn.releaseServer();
            engine.connections().remove(conn);
            engine.closed(conn);
            engine.selector().clients().traffic(conn.clientAddress(), conn.bytesUp(), conn.bytesDown());
            engine.events().closed(conn);
        }
    }

    /** This server could not be reached: blacklist it and try the next target. */
    private void attemptFailed(Connection conn, ServerSelector.Attempts attempts, int target, Server server,
                               InetSocketAddress address, Throwable cause, Settings s) {
        engine.pendingEnded();
        conn.releaseServer();
        String shortage = LocalShortage.of(cause);
        if (shortage != null) {
            // No descriptor or port here: every other server would fail the same way, and none of them is at fault.
            engine.shortage().clientRefused(conn.down().remoteAddress(), shortage, conn.down().eventLoop());
            conn.down().close();
            return;
        }
        attemptFailedAt(conn, target, server, address, cause);
        tryTarget(conn, attempts, attempts.next(), s);
    }

    private void connected(Connection conn, Channel up, RelayHandler upRelay) {
        Channel down = conn.down();
        if (!down.isActive()) {
            // The client left while we were connecting: nothing to relay.
            up.close();
            conn.releaseServer();
            finishIfDone(conn);
            return;
        }
        long took = conn.connectedAt(System.nanoTime());
        conn.upConnected(up);
        connectedTo(conn, took, up.remoteAddress());
        up.closeFuture().addListener(upRelay);
        engine.sendProxyHeader(conn, up); // before anything the client sent
        conn.flushEarly(up);
        if (conn.downEof) {
            eof(conn, true);
        } else {
            down.config().setAutoRead(true);
        }
        up.config().setAutoRead(true);
    }

    /** HTTP mode: the server's answer to a request passed on at {@code requestNanos} has begun. */
    void firstByte(Connection conn, long requestNanos) {
        long took = conn.firstByte(requestNanos, System.nanoTime());
        Server server = conn.server();
        if (took >= 0 && server != null) server.firstByteLatency().record(nowMillis(), took);
    }

    boolean established(Connection conn) {
        return conn.up() != null;
    }

    /** One side sent EOF: pass it on (after what is queued), or close the pair under tcp_fastclose. */
    void eof(Connection conn, boolean fromClient) {
        if (fromClient && conn.up() == null) {
            conn.downEof = true; // passed on once the server is connected
            return;
        }
        if (fromClient) conn.downEof = true; else conn.upEof = true;
        conn.closedBy(fromClient ? "client" : "server");
        FastClose fc = engine.settings().fastClose();
        if (fromClient ? fc.onClientEof() : fc.onServerEof()) {
            conn.close();
            return;
        }
        Channel peer = fromClient ? conn.up() : conn.down();
        if (conn.downEof && conn.upEof) {
            conn.close();
            return;
        }
        conn.state(Connection.State.HALF_CLOSED);

        if (peer.isActive()) {
            if (Connection.nothingQueued(peer)) {
                // Nothing waits for the peer and no handler of its own could hold anything back: the end goes now,
                // without an empty write, a promise and a listener per connection.
                halfClose(peer);
                return;
            }
            io.netty.handler.ssl.SslHandler ssl = peer.pipeline().get(io.netty.handler.ssl.SslHandler.class);
            if (ssl == null) {
                endOutput(peer, peer.writeAndFlush(Unpooled.EMPTY_BUFFER));
            } else {
                // A TLS client is told the end with close_notify first, so it can tell it from a truncation; only
                // once its handshake is over, as close_notify would abort it and what the server sent first (held
                // by the SslHandler until then) would be lost. The handshake's listeners run before the SslHandler
                // sends what it held, so a flush comes first. A failed handshake has closed the channel already.
                ssl.handshakeFuture().addListener(h -> {
                    if (!h.isSuccess() || !peer.isActive()) return;
                    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(held -> {
                        if (peer.isActive()) endOutput(peer, ssl.closeOutbound());
                    });
                });
            }
        }
    }

    private static void endOutput(Channel peer, ChannelFuture flushed) {
        flushed.addListener(f -> halfClose(peer));
    }

    private static void halfClose(Channel peer) {
        if (peer instanceof DuplexChannel d && peer.isActive()) {
            // The peer's own end then ends the pair, so Netty may close it outright: shutting the input of
            // a socket done both ways fails (ENOTCONN), and Netty pays for that exception on every
            // connection (about 5 µs each, measured).
            peer.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
            shutdownOutput(peer, d);
        }
    }

    /**
     * Sends FIN once everything queued has gone. Netty's shutdownOutput builds an exception with a stack trace on
     * every call, to fail writes that can no longer be queued; jpen queues none after an end, so on epoll it shuts
     * the socket itself (about 2 µs a connection, measured).
     */
    static void shutdownOutput(Channel peer, DuplexChannel d) {
        if (peer instanceof AbstractEpollStreamChannel epoll && epoll.fd() instanceof Socket socket) {
            try {
                socket.shutdown(false, true);
            } catch (IOException | NotYetConnectedException e) {
                // The other end is gone already (a reset: Netty reports ENOTCONN as NotYetConnectedException).
                peer.close();
            }
        } else {
            d.shutdownOutput();
        }
    }

    void failed(Connection conn, boolean fromClient, Throwable cause) {
        if (log.isDebugEnabled()) {
            log.debug("connection {} {} side failed: {}", conn.id(), fromClient ? "client" : "server",
                    Reasons.of(cause, (String) null));
            log.trace("connection {}: the failure in full", conn.id(), cause);
        }
    }

    /** A side's channel closed: the other side gets what is queued, then closes too. */
    void sideClosed(Connection conn, boolean fromClient, Channel ch) {
        Channel peer = fromClient ? conn.up() : conn.down();
        if (!fromClient && ch != conn.up()) return; // a failed attempt's channel, not part of the pair
        conn.closedBy(fromClient ? "client" : "server");
        conn.closeAfterFlush(peer);
        finishIfDone(conn);
    }

    private void finishIfDone(Connection conn) {
        Channel up = conn.up();
        if (conn.down().isOpen() || (up != null && up.isOpen())) return;
        // Both sides' close listeners get here once both are closed: only the first reads the clock.
        released(conn);
    }
}
