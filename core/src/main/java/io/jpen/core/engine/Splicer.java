package io.jpen.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * One direction of a pair moved by splice(2) on epoll: socket → pipe → socket, without copying the bytes into the
 * JVM and back. jpen drives it from its own relay rather than Netty's {@code spliceTo}, which shuts a stream's input
 * as soon as the peer's FIN is seen, losing what still waits in the socket, and hides the bytes from jpen's
 * counters (docs/performance.md, "Epoll and splice").
 *
 * <p>The bytes in the pipe are sent on by {@link PipeRegion}s written to the other side's channel, so they keep
 * their place among its other writes, and that channel's own writability and flush rules apply. Everything runs on
 * the pair's event loop.
 */
final class Splicer {
    /** A read of this size starts each splice: PIPE_BUF, so writing it into the pipe is all or nothing. */
    static final int CHUNK = 4096;
    /** Linux's default pipe capacity; a splice into a fuller pipe moves less, never more. */
    private static final int PIPE_BYTES = 64 * 1024;

    private final FileDescriptor pipeRead;
    private final FileDescriptor pipeWrite;
    private final int inFd;
    private final int outFd;
    /** Bytes in the pipe not yet sent on. */
    private long queued;
    private boolean closed;

    private Splicer(FileDescriptor[] pipe, int inFd, int outFd) {
        this.pipeRead = pipe[0];
        this.pipeWrite = pipe[1];
        this.inFd = inFd;
        this.outFd = outFd;
    }

    /** Whether bytes can go from {@code in} to {@code out} this way: two epoll stream sockets (TCP or Unix). */
    static boolean possible(Channel in, Channel out) {
        return in instanceof AbstractEpollStreamChannel && out instanceof AbstractEpollStreamChannel;
    }

    /**
     * A pipe from {@code in} to {@code out}, closed once both channels are. Throws when no pipe can be made
     * (descriptors exhausted); the caller then keeps copying.
     */
    static Splicer open(Channel in, Channel out) throws IOException {
        Splicer s = new Splicer(FileDescriptor.pipe(),
                ((AbstractEpollStreamChannel) in).fd().intValue(), ((AbstractEpollStreamChannel) out).fd().intValue());
        in.closeFuture().addListener(f -> s.closeIfBothClosed(in, out));
        out.closeFuture().addListener(f -> s.closeIfBothClosed(in, out));
        return s;
    }

    boolean empty() {
        return queued == 0;
    }

    /** Puts a read's bytes into the (empty) pipe; false, taking nothing, when the pipe cannot hold them. */
    boolean put(ByteBuf chunk) throws IOException {
        int n = chunk.readableBytes();
        // Reads on epoll land in direct buffers; anything else is copied as usual.
        if (closed || n > CHUNK || queued + n > PIPE_BYTES || !chunk.hasMemoryAddress()) return false;
        int written = pipeWrite.writeAddress(chunk.memoryAddress(), chunk.readerIndex(), chunk.writerIndex());
        if (written == 0) return false; // PIPE_BUF writes are atomic: nothing was taken
        if (written != n) throw new IOException("pipe took " + written + " of " + n + " bytes");
        queued += n;
        return true;
    }

    /**
     * Moves what waits in the socket into the pipe, as much as the pipe takes. Returns the bytes moved; 0 when
     * none waited or the stream ended, which the channel's next read tells apart.
     */
    int fill() throws IOException {
        long room = PIPE_BYTES - queued;
        if (closed || room <= 0) return 0;
        int moved = Native.splice(inFd, -1, pipeWrite.intValue(), -1, room);
        queued += moved;
        return moved;
    }

    /** Sends up to {@code max} bytes from the pipe to the other side's socket; 0 when its send buffer is full. */
    long drain(long max) throws IOException {
        if (closed) throw new ClosedChannelException();
        int moved = Native.splice(pipeRead.intValue(), -1, outFd, -1, max);
        queued -= moved;
        return moved;
    }

    /** The next {@code bytes} in the pipe, as a message for the other side's channel. */
    PipeRegion region(long bytes) {
        return new PipeRegion(this, bytes);
    }

    private void closeIfBothClosed(Channel in, Channel out) {
        // Not before: the other side may still be sending what the pipe holds, and a closed descriptor's number
        // can be handed to a new socket at once.
        if (closed || in.isOpen() || out.isOpen()) return;
        closed = true;
        try {
            pipeRead.close();
        } catch (IOException ignored) {
            // nothing holds it any more
        }
        try {
            pipeWrite.close();
        } catch (IOException ignored) {
            // nothing holds it any more
        }
    }
}
