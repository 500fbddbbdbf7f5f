package io.jpen.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.LeanPipeline;
import io.netty.channel.epoll.LeanSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;

/**
 * Moves bytes from one side of a pair to the other. Reading stops while the other side cannot take more
 * (so a slow reader never makes jpen buffer without bound) and resumes when it drains. On epoll, a direction that
 * carries bulk data is spliced instead of copied ({@link Splicer}).
 */
final class RelayHandler extends SpliceSizing implements ChannelFutureListener, LeanPipeline.End {
    /** A read this large marks a direction as bulk: splicing it saves copying, where small reads would pay more. */
    private static final int BULK_READ = 32 * 1024;
    /** Reads smaller than a splice chunk in a row after which a direction goes back to copying. */
    private static final int SMALL_READS_TO_STOP = 4;
    /** At most this many pipefuls (64 KiB each) are spliced per read before other channels get their turn. */
    private static final int PIPEFULS_PER_READ = 16;
    /** What a client may send before its server is connected; then reading pauses until it is. */
    static final int EARLY_LIMIT = 64 * 1024;

    private final Connection conn;
    private final boolean fromClient;
    /** This direction's pipe, once it has carried bulk data. */
    private Splicer splicer;
    private boolean noSplice;
    /** The end of its lean channel's pipeline from now on (LeanPipeline). */
    private boolean attached;
    /** Small reads in a row while splicing (to {@link #SMALL_READS_TO_STOP}): a byte, so the handler stays 32 bytes. */
    private byte smallReads;

    /** {@code conn}'s relay does the pair's work (reached through it: a field less in each of the pair's two). */
    RelayHandler(Connection conn, boolean fromClient) {
        this.conn = conn;
        this.fromClient = fromClient;
    }

    private Channel peer() {
        return fromClient ? conn.up() : conn.down();
    }

    /**
     * Makes this the last stop of {@code ch}'s inbound events: the end of a lean channel's pipeline, which needs no
     * handler context for it, or else a handler added last.
     */
    void attach(Channel ch) {
        if (ch instanceof LeanSocketChannel lean) {
            attached = true;
            lean.pipelineEnd(this);
        } else {
            ch.pipeline().addLast("relay", this);
        }
    }

    @Override
    public boolean attached() {
        return attached;
    }

    /** Bulk data on this side is copied, never spliced ({@code -Djpen.splice=off}). */
    void neverSplice() {
        noSplice = true;
    }

    /** Whether nothing but the relay handles {@code ch}'s events: no handler that could hold bytes back. */
    static boolean alone(Channel ch) {
        ChannelHandler first = ch.pipeline().first();
        return first == null || first instanceof RelayHandler && ch.pipeline().last() == first;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        read(ctx.channel(), msg);
    }

    @Override
    public void read(Channel in, Object msg) throws IOException {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int n = buf.readableBytes();
        long now = conn.relay().nowMillis();
        count(n, now);
        if (fromClient) conn.relay().logRequest(conn, buf, now);
        Channel peer = peer();
        if (peer == null) {
            if (!fromClient) {
                buf.release();
                return;
            }
            // Read before the server is connected: kept for it, up to a bound, then the client waits.
            if (conn.stash(buf) >= EARLY_LIMIT) in.config().setAutoRead(false);
            return;
        }
        if (splicer != null && spliced(in, buf, peer)) return;
        peer.write(buf, peer.voidPromise());
        if (!peer.isWritable()) {
            // Stop reading before flushing: a flush that drains at once fires channelWritabilityChanged right
            // here, and the resume it asks for must come after this pause, or reading never resumes.
            in.config().setAutoRead(false);
            peer.flush();
        }
        if (!noSplice) watchSize(in, n, peer);
    }

    private void count(int n, long now) {
        if (fromClient) conn.countUp(n, now); else conn.countDown(n, now);
    }

    /**
     * Starts splicing after a bulk-sized read, and stops after a run of small ones. The first bulk read makes the
     * pipe; where splicing is impossible (not epoll, TLS, HTTP rewriting, the -l log) this direction stops asking.
     */
    private void watchSize(Channel in, int n, Channel peer) {
        if (n >= BULK_READ) {
            smallReads = 0;
            if (splicer == null) {
                if (in.config().getRecvByteBufAllocator() != this
                        || !Splicer.possible(in, peer) || !conn.relay().plain(conn, fromClient)) {
                    noSplice = true;
                    return;
                }
                try {
                    splicer = Splicer.open(in, peer);
                } catch (IOException e) {
                    noSplice = true; // no descriptors for a pipe: copying still works
                    return;
                }
            }
            splicing(true);
        } else if (splicer != null && n < Splicer.CHUNK && ++smallReads >= SMALL_READS_TO_STOP) {
            splicing(false);
        }
    }


    /**
     * A full chunk read while splicing: more is waiting. The chunk goes into the pipe, then what the socket holds,
     * and the other side is sent the lot. False, having done nothing, when this read must be copied: the pipe still
     * holds bytes, the other side is full, or this direction is no longer plain (the -l log was turned on).
     */
    private boolean spliced(Channel in, ByteBuf chunk, Channel peer) throws IOException {
        int n = chunk.readableBytes();
        if (n != Splicer.CHUNK || !splicer.empty() || !peer.isWritable() || !conn.relay().plain(conn, fromClient)) {
            return false;
        }
        try {
            if (!splicer.put(chunk)) return false;
        } catch (IOException e) {
            return false; // the pipe is unusable; the chunk is copied like any read
        }
        chunk.release();
        long inPipe = n;
        // While the other side takes each pipeful at once, splice the next without going back to the event loop;
        // a bound keeps one busy pair from starving the others on this loop.
        for (int round = 0; round < PIPEFULS_PER_READ; round++) {
            int moved;
            try {
                moved = splicer.fill();
            } catch (IOException | RuntimeException e) { // a reset, or ENOTCONN as NotYetConnectedException
                if (inPipe > 0) { // what came before the error still goes on
                    conn.relay().spliced(fromClient, inPipe);
                    peer.writeAndFlush(splicer.region(inPipe));
                }
                throw e;
            }
            if (moved > 0) count(moved, conn.relay().nowMillis());
            inPipe += moved;
            if (inPipe == 0) break;
            conn.relay().spliced(fromClient, inPipe);
            ChannelFuture sent = peer.writeAndFlush(splicer.region(inPipe));
            inPipe = 0;
            if (!sent.isDone()) {
                // The pipe stays full until the other side takes it: read again then.
                in.config().setAutoRead(false);
                sent.addListener(f -> {
                    if (peer.isWritable() && conn.relay().established(conn)) in.config().setAutoRead(true);
                });
                break;
            }
            if (moved == 0 || !sent.isSuccess()) break;
        }
        return true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readComplete(ctx.channel());
    }

    @Override
    public void readComplete(Channel in) {
        Channel peer = peer();
        if (peer != null) peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanged(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void writabilityChanged(Channel in) {
        // This side drained (or filled): the other side's reading follows it.
        Channel peer = peer();
        if (peer != null && conn.relay().established(conn)) peer.config().setAutoRead(in.isWritable());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        userEvent(ctx.channel(), evt);
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void userEvent(Channel in, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            conn.relay().eof(conn, fromClient);
        }
    }

    /**
     * Its side's channel closed: each side's handler is also the listener of its channel's close, which saves a
     * listener object per side for the connection's whole life.
     */
    @Override
    public void operationComplete(ChannelFuture closed) {
        conn.relay().sideClosed(conn, fromClient, closed.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        conn.relay().failed(conn, fromClient, cause);
        ctx.close();
    }

    @Override
    public void exception(Channel in, Throwable cause) {
        conn.relay().failed(conn, fromClient, cause);
        in.close();
    }
}
