package io.jpen.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * An epoll channel's read sizing: Netty's adaptive sizing, except while its bytes are being spliced, when each read
 * takes only {@link Splicer#CHUNK} bytes and the relay splices the rest. One per channel, since the relay switches it;
 * it is its own handle, and the relay handler of the channel's side ({@link RelayHandler} extends it), so a channel
 * holds no object for it (24 bytes per channel before); the adaptive state behind it is made at the first read
 * (Netty's config asks every allocator set for a handle only to check its type, and the channel asks for its own at
 * its first read: two handles per channel before, each with Netty's adaptive state behind it).
 */
abstract class SpliceSizing extends ChannelInboundHandlerAdapter
        implements RecvByteBufAllocator, RecvByteBufAllocator.ExtendedHandle {
    private static final RecvByteBufAllocator ADAPTIVE = new AdaptiveRecvByteBufAllocator();

    /**
     * Counts the bytes of a {@link PipeRegion} as pending writes like copied bytes, so the write-buffer water marks
     * and the close-after-flush grace see them.
     */
    static final MessageSizeEstimator SIZE = new MessageSizeEstimator() {
        private final MessageSizeEstimator.Handle handle = new MessageSizeEstimator.Handle() {
            private final MessageSizeEstimator.Handle plain = DefaultMessageSizeEstimator.DEFAULT.newHandle();

            @Override
            public int size(Object msg) {
                return msg instanceof PipeRegion r ? (int) r.count() : plain.size(msg);
            }
        };

        @Override
        public MessageSizeEstimator.Handle newHandle() {
            return handle;
        }
    };

    private boolean splicing;
    /** Netty's adaptive sizing, made at the first read (only the channel's event loop reads). */
    private ExtendedHandle adaptive;

    final void splicing(boolean on) {
        splicing = on;
    }

    final boolean splicing() {
        return splicing;
    }

    @Override
    public RecvByteBufAllocator.Handle newHandle() {
        return this;
    }

    private ExtendedHandle adaptive() {
        ExtendedHandle a = adaptive;
        if (a == null) adaptive = a = (ExtendedHandle) ADAPTIVE.newHandle();
        return a;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
        return splicing ? alloc.ioBuffer(Splicer.CHUNK, Splicer.CHUNK) : adaptive().allocate(alloc);
    }

    @Override
    public int guess() {
        return splicing ? Splicer.CHUNK : adaptive().guess();
    }

    @Override
    public void reset(ChannelConfig config) {
        adaptive().reset(config);
    }

    @Override
    public void incMessagesRead(int numMessages) {
        adaptive().incMessagesRead(numMessages);
    }

    @Override
    public void lastBytesRead(int bytes) {
        adaptive().lastBytesRead(bytes);
    }

    @Override
    public int lastBytesRead() {
        return adaptive().lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int bytes) {
        adaptive().attemptedBytesRead(bytes);
    }

    @Override
    public int attemptedBytesRead() {
        return adaptive().attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
        return adaptive().continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
        return adaptive().continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
        adaptive().readComplete();
    }
}
