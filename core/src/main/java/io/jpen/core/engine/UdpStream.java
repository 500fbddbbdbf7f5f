package io.jpen.core.engine;

import io.jpen.core.select.Server;
import io.jpen.core.select.ServerSelector;
import io.jpen.core.select.Target;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.ArrayDeque;

/**
 * One client address:port in UDP mode, with its own connected socket to the chosen server. Connecting the
 * upstream socket makes the kernel report ICMP port unreachable as an error on it, which jpen treats like a
 * refused TCP connect: the server is blacklisted and the stream moves to the next one, resending the last datagram.
 */
final class UdpStream {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UdpStream.class);
    /** Datagrams held while the upstream socket is being set up; beyond this the oldest is dropped (it is UDP). */
    private static final int PENDING_MAX = 64;

    private final UdpRelay relay;
    private final Engine engine;
    private final Connection conn;
    private final ServerSelector.Attempts attempts;
    private final InetSocketAddress client;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private Channel up;
    private boolean upReady;
    private int target = Target.NONE;
    private InetSocketAddress address;
    /** The last datagram sent, resent to the next server if this one turns out to be dead. */
    private ByteBuf last;
    private boolean closed;
    private boolean flushDue;

    UdpStream(UdpRelay relay, Connection conn, ServerSelector.Attempts attempts, InetSocketAddress client) {
        this.relay = relay;
        this.engine = relay.engine();
        this.conn = conn;
        this.attempts = attempts;
        this.client = client;
    }

    Connection connection() {
        return conn;
    }

    InetSocketAddress client() {
        return client;
    }

    /** Opens the upstream socket to {@code first} or the targets after it; false when there is none left. */
    boolean connect(int first) {
        int t = first;
        while (t != Target.NONE) {
            InetSocketAddress a = engine.addressOf(t);
            if (a != null) {
                open(t, a);
                return true;
            }
            t = attempts.next();
        }
        return false;
    }

    private void open(int t, InetSocketAddress a) {
        Server server = Target.regular(t) ? engine.serverArray()[t] : null;
        target = t;
        address = a;
        conn.assign(t, server);
        conn.attempt(attempts.choice(), attempts.after(), 0); // no connect to time: a datagram socket just opens
        Bootstrap b = new Bootstrap()
                .group(relay.front().eventLoop())
                .channelFactory(() -> engine.transport().newDatagramChannel(a))
                .option(ChannelOption.AUTO_READ, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, WholeDatagrams.INSTANCE)
                .handler(new FromServer());
        ChannelFuture f = engine.bindSource(b, conn.clientAddress()).connect(a);
        Channel ch = f.channel();
        ByteDump dump = ByteDump.wanted(engine.settings(), conn.id(), false);
        if (dump != null) ch.pipeline().addFirst(ByteDump.NAME, dump);
        up = ch;
        upReady = false;
        conn.upConnected(ch);
        f.addListener(done -> {
            if (ch != up || closed) {
                ch.close();
                return;
            }
            if (done.isSuccess()) {
                if (log.isDebugEnabled()) log.debug("stream {} from {} to server {} ({})", conn.id(), Relay.text(client), Target.name(t), Relay.text(a));
                upReady = true;
                flushPending();
            } else {
                failed(done.cause());
            }
        });
    }

    void fromClient(ByteBuf content) {
        if (closed) return;
        int n = content.readableBytes();
        conn.countUp(n, engine.clock().millis());
        conn.countDatagramUp();
        Server s = conn.server();
        if (s != null) s.addDatagramSent();
        if (conn.state() == Connection.State.HALF_CLOSED) conn.state(Connection.State.ESTABLISHED);
        if (last != null) last.release();
        last = content.retainedDuplicate();
        if (upReady) {
            up.write(content.retainedDuplicate(), up.voidPromise());
            if (!flushDue) {
                flushDue = true;
                relay.flushAfterRead(this);
            }
        } else {
            if (pending.size() >= PENDING_MAX) pending.poll().release();
            pending.add(content.retainedDuplicate());
        }
    }

    /** Sends what this read loop queued for the server: one flush per batch of datagrams, not one per datagram. */
    void flush() {
        flushDue = false;
        Channel u = up;
        if (u != null && upReady) u.flush();
    }

    private void flushPending() {
        ByteBuf b;
        while ((b = pending.poll()) != null) up.write(b, up.voidPromise());
        up.flush();
    }

    /** The server is unreachable: blacklist it and move the stream to the next target with the last datagram. */
    private void failed(Throwable cause) {
        Server s = conn.server();
        String shortage = LocalShortage.of(cause);
        if (shortage != null) {
            // No descriptor or port here: not the server's fault, and every other server would fail the same way.
            conn.releaseServer();
            engine.shortage().clientRefused(client, shortage, relay.front().eventLoop());
            close();
            return;
        }
        if (s != null) {
            int blacklist = engine.settings().blacklistSeconds();
            boolean news = s.failed(engine.clock().millis(), blacklist);
            engine.events().serverFailed(target, address, cause, news, blacklist);
        }
        conn.releaseServer();
        Channel old = up;
        up = null;
        upReady = false;
        if (old != null) old.close();
        if (!connect(attempts.next())) {
            engine.events().refused(client, "no server available");
            close();
            return;
        }
        if (pending.isEmpty() && last != null) pending.add(last.retainedDuplicate());
    }

    void close() {
        if (closed) return;
        closed = true;
        conn.state(Connection.State.CLOSING);
        ByteBuf b;
        while ((b = pending.poll()) != null) b.release();
        if (last != null) {
            last.release();
            last = null;
        }
        Channel u = up;
        if (u != null) u.close();
        relay.closed(this);
    }

    private final class FromServer extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (closed || ctx.channel() != up) return;
            ByteBuf content = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf bb ? bb : null;
            if (content == null) return;
            conn.countDown(content.readableBytes(), engine.clock().millis());
            conn.countDatagramDown();
            Server s = conn.server();
            if (s != null) {
                s.addDatagramReceived();
                if (s.answered()) engine.events().serverAnswers(target, address);
            }
            if (conn.state() == Connection.State.HALF_CLOSED) conn.state(Connection.State.ESTABLISHED);
            relay.front().write(new DatagramPacket(WholeDatagrams.ownCopy(content), client), relay.front().voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // The replies of one read loop leave together.
            relay.front().flush();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (closed || ctx.channel() != up) return;
            if (cause instanceof PortUnreachableException) {
                failed(cause);
            }
            // Other errors on a datagram socket are transient (e.g. a full buffer): the stream carries on.
        }
    }
}
