package io.jpen.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Receives every datagram whole, up to the largest UDP carries (65,507 bytes of payload over IPv4, 65,527 over
 * IPv6). Netty's default for datagram channels reads 2,048 bytes, and the kernel drops what does not fit: a longer
 * datagram (an EDNS answer of 4,096 bytes, say) was relayed cut short. Pen's own buffer stops at 32,768.
 *
 * <p>A 64 KiB buffer per read would hold 64 KiB for every datagram kept or queued (each stream keeps its last one
 * for failover). Instead every read lands in one region per event loop, right behind the previous datagram, with
 * 64 KiB of room ahead of it; the handlers copy each datagram out at its own size ({@link #ownCopy}) and let go of
 * the landing slice in the same read loop, so by the next loop the region is free and is reused from its start.
 * Measured side by side, this costs the same per datagram as the 2,048-byte reads (docs/performance.md).
 */
final class WholeDatagrams extends DefaultMaxMessagesRecvByteBufAllocator {
    /** Room for the largest datagram, whatever the address family. */
    private static final int MAX_DATAGRAM = 65_536;
    private static final int REGION = 4 * MAX_DATAGRAM;
    private static final FastThreadLocal<Landing> LANDING = new FastThreadLocal<>() {
        @Override
        protected Landing initialValue() {
            return new Landing();
        }

        @Override
        protected void onRemoval(Landing landing) {
            landing.release();
        }
    };

    static final WholeDatagrams INSTANCE = new WholeDatagrams();

    private WholeDatagrams() {
        super(16); // Netty's datagram default; the allocator's own default of 1 costs a wake-up per datagram
    }

    /**
     * The datagram in a buffer of its own size, which may be kept or queued. Every handler that reads datagrams
     * must take this copy and keep nothing of {@code landed}, which the read loop's end releases (the handlers are
     * SimpleChannelInboundHandlers); a kept slice would pin the whole landing region.
     */
    static ByteBuf ownCopy(ByteBuf landed) {
        return landed.copy();
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                return LANDING.get().next(alloc);
            }

            @Override
            public int guess() {
                return MAX_DATAGRAM;
            }

            @Override
            public void lastBytesRead(int bytes) {
                super.lastBytesRead(bytes);
                if (bytes > 0) LANDING.get().landed(bytes);
            }
        };
    }

    /** One event loop's landing region. */
    private static final class Landing {
        private ByteBuf region;
        private int offset;

        ByteBuf next(ByteBufAllocator alloc) {
            if (region != null && region.refCnt() == 1) {
                offset = 0; // every datagram landed so far has been copied out and let go
            }
            if (region == null || offset + MAX_DATAGRAM > region.capacity()) {
                // Slices of the old region are still held (a read loop of many datagrams): they keep it alive.
                release();
                region = alloc.directBuffer(REGION, REGION);
                offset = 0;
            }
            return region.retainedSlice(offset, MAX_DATAGRAM).clear();
        }

        void landed(int bytes) {
            offset += (bytes + 63) & ~63; // the next datagram starts on its own cache line
        }

        void release() {
            if (region != null) {
                region.release();
                region = null;
            }
        }
    }
}
