package io.jpen.core.engine;

import io.jpen.core.model.Settings;
import io.jpen.core.select.ServerSelector;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The UDP data path (Pen's -U): every client address:port is a stream with its own connected upstream socket,
 * chosen with the same selection as TCP. Everything runs on the listener's event loop, so the stream map needs
 * no lock. A stream without traffic turns half-dead (its slot is the first reused when the table is full) and is
 * reclaimed after idle_timeout, or {@link #DEFAULT_EXPIRY_MILLIS} when that is 0.
 */
final class UdpRelay extends SimpleChannelInboundHandler<DatagramPacket> {
    static final long DEFAULT_EXPIRY_MILLIS = 60_000;
    static final long HALF_DEAD_MILLIS = 5_000;

    private final Engine engine;
    private final Map<InetSocketAddress, UdpStream> streams = new HashMap<>();
    /** Streams with datagrams written in this read loop, flushed once it ends. */
    private final List<UdpStream> flushDue = new ArrayList<>();
    private Channel front;
    private ScheduledFuture<?> sweeper;

    UdpRelay(Engine engine) {
        this.engine = engine;
    }

    Engine engine() {
        return engine;
    }

    Channel front() {
        return front;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        front = ctx.channel();
        sweeper = ctx.executor().scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (sweeper != null) sweeper.cancel(false);
        for (UdpStream s : new ArrayList<>(streams.values())) s.close();
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress client = packet.sender();
        // Tested before the cast: a cast whose profile never saw null lets C2 drop the branch, and the first new
        // client after the warm-up then threw the whole compiled receive path away (docs/performance.md, UDP cells).
        Object known = streams.get(client);
        UdpStream stream = known != null ? (UdpStream) known : open(client);
        if (stream == null) return; // refused: the datagram is dropped, as a full or denying Pen would
        ByteBuf own = WholeDatagrams.ownCopy(packet.content());
        try {
            stream.fromClient(own);
        } finally {
            own.release();
        }
    }

    void flushAfterRead(UdpStream stream) {
        flushDue.add(stream);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (int i = 0; i < flushDue.size(); i++) flushDue.get(i).flush();
        flushDue.clear();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed send to one client must never close the listener that serves all of them.
    }

    private UdpStream open(InetSocketAddress client) {
        Settings s = engine.settings();
        if (!engine.connections().admit(s.connMax()) && !(reclaimHalfDead() && engine.connections().admit(s.connMax()))) {
            engine.events().refused(client, "conn_max " + s.connMax() + " reached");
            return null;
        }
        long now = engine.clock().millis();
        UdpStream[] holder = new UdpStream[1];
        Connection conn = engine.connections().registerDatagram(front, client, now,
                () -> front.eventLoop().execute(() -> holder[0].close()));
        ServerSelector.Attempts attempts = engine.selector().attempts(engine.serverArray(), s, engine.acl(),
                client.getAddress(), client.getPort());
        UdpStream stream = new UdpStream(this, conn, attempts, client);
        holder[0] = stream;
        streams.put(client, stream);
        if (!stream.connect(attempts.first(now))) {
            engine.events().refused(client, attempts.denied() ? "denied by client_acl " + s.clientAcl() : "no server available");
            stream.close();
            return null;
        }
        return stream;
    }

    /** Called by a stream as it ends: frees its slot and accounts for it once. */
    void closed(UdpStream stream) {
        streams.remove(stream.client(), stream);
        Connection conn = stream.connection();
        if (conn.markReleased(engine.clock().millis())) {
            conn.releaseServer();
            engine.connections().remove(conn);
            engine.closed(conn);
            engine.selector().clients().traffic(conn.clientAddress(), conn.bytesUp(), conn.bytesDown());
            engine.events().closed(conn);
        }
    }

    private long expiryMillis() {
        int idle = engine.settings().idleTimeoutSeconds();
        return idle > 0 ? idle * 1000L : DEFAULT_EXPIRY_MILLIS;
    }

    /** Marks quiet streams half-dead and reclaims expired ones. */
    void sweep() {
        long now = engine.clock().millis();
        long expiry = expiryMillis();
        long halfDead = Math.min(HALF_DEAD_MILLIS, expiry / 2);
        List<UdpStream> expired = new ArrayList<>();
        for (UdpStream s : streams.values()) {
            long idle = now - s.connection().lastActivityMillis();
            if (idle >= expiry) expired.add(s);
            else if (idle >= halfDead) s.connection().state(Connection.State.HALF_CLOSED);
        }
        for (UdpStream s : expired) s.close();
    }

    /** Ends the half-dead stream that has been quiet longest, to make room; false if there is none. */
    private boolean reclaimHalfDead() {
        UdpStream oldest = null;
        for (UdpStream s : streams.values()) {
            if (s.connection().state() != Connection.State.HALF_CLOSED) continue;
            if (oldest == null || s.connection().lastActivityMillis() < oldest.connection().lastActivityMillis()) oldest = s;
        }
        if (oldest == null) return false;
        oldest.close();
        return true;
    }

    int streamCount() {
        return streams.size();
    }
}
