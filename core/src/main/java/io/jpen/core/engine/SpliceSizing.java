package io.jpen.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * An epoll channel's read sizing: Netty's adaptive sizing, except while its bytes are being spliced, when each read
 * takes only {@link Splicer#CHUNK} bytes and the relay splices the rest. One per channel, since the relay switches it.
 */
final class SpliceSizing implements RecvByteBufAllocator {
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

    void splicing(boolean on) {
        splicing = on;
    }

    boolean splicing() {
        return splicing;
    }

    @Override
    public RecvByteBufAllocator.Handle newHandle() {
        return new Sizing((ExtendedHandle) ADAPTIVE.newHandle());
    }

    private final class Sizing extends DelegatingHandle implements ExtendedHandle {
        Sizing(ExtendedHandle adaptive) {
            super(adaptive);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return splicing ? alloc.ioBuffer(Splicer.CHUNK, Splicer.CHUNK) : delegate().allocate(alloc);
        }

        @Override
        public int guess() {
            return splicing ? Splicer.CHUNK : delegate().guess();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
        }
    }
}
