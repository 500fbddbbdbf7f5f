package io.jpen.core.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * One buffer per event loop that a relay side reads into when the other side can take the bytes at once: they go
 * straight out of it ({@code LeanSocketChannel.sendNow}), so most reads take no buffer from the pool and give none
 * back. Whatever the other side does not take is copied out before the next read. Releasing it does nothing: Netty's
 * read releases a buffer that read nothing, and this one is used again.
 */
final class ReadScratch {
    /** As large as Netty's adaptive sizing ever reads at once. */
    static final int SIZE = 64 * 1024;

    private static final FastThreadLocal<ByteBuf> BUFFER = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            ByteBuf b = Unpooled.directBuffer(SIZE, SIZE);
            // Without a memory address (no Unsafe), bytes could not be sent from it directly: not used then.
            if (b.hasMemoryAddress()) return Unpooled.unreleasableBuffer(b);
            b.release();
            return null;
        }

        /** The loop's thread ends (Netty's threads remove their locals last thing): its buffer's memory goes back. */
        @Override
        protected void onRemoval(ByteBuf b) {
            if (b != null) b.unwrap().release();
        }
    };

    private ReadScratch() {
    }

    /** This thread's buffer, emptied; null where it cannot be used. */
    static ByteBuf take() {
        ByteBuf b = BUFFER.get();
        return b == null ? null : b.clear();
    }

    static boolean is(ByteBuf buf) {
        return buf == BUFFER.getIfExists();
    }
}
