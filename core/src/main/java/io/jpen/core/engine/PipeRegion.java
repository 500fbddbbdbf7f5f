package io.jpen.core.engine;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * Bytes waiting in a {@link Splicer}'s pipe, written to the receiving channel like any message. Netty's epoll channel
 * writes a {@link FileRegion} by calling {@link #transferTo} whenever the socket can take more, and waits for the
 * socket otherwise, so the pipe drains with the same back-pressure as copied bytes.
 */
final class PipeRegion extends AbstractReferenceCounted implements FileRegion {
    private final Splicer splicer;
    private final long count;
    private long transferred;

    PipeRegion(Splicer splicer, long count) {
        this.splicer = splicer;
        this.count = count;
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return count;
    }

    /** Ignores {@code target}: the bytes go from the pipe straight to the socket behind it. */
    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long moved = splicer.drain(count - transferred);
        transferred += moved;
        return moved;
    }

    @Override
    public PipeRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public PipeRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public PipeRegion touch() {
        return this;
    }

    @Override
    public PipeRegion touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        // the bytes stay in the pipe, which the Splicer closes
    }
}
