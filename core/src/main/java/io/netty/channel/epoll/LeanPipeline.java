package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultChannelPipeline;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

/**
 * A lean channel's pipeline, whose end can be jpen's relay ({@link End}): what reaches the end of the pipeline is
 * handed to it, as a last handler would get it, without a handler context of its own (64 bytes per channel, two per
 * proxied pair, for the connection's whole life, and one hop less per event). Handlers added before it (TLS, HTTP,
 * PROXY headers, dumps) work as ever; without an end it is Netty's pipeline.
 *
 * <p>The end is the channel's read sizing as well (the relay sizes its side's reads), and is found there: no field for
 * it here (Netty's pipeline is 48 bytes, with one more field 56).
 */
public final class LeanPipeline extends DefaultChannelPipeline {
    LeanPipeline(Channel channel) {
        super(channel);
    }

    /**
     * What handles the events that reach the end of a lean channel's pipeline (the relay). It is the channel's read
     * sizing too, set before its first read; it takes events once {@link #attached}.
     */
    public interface End extends RecvByteBufAllocator {
        /** Whether it takes the events that reach the end of the pipeline yet. */
        boolean attached();

        void read(Channel ch, Object msg) throws Exception;

        void readComplete(Channel ch);

        void writabilityChanged(Channel ch);

        void userEvent(Channel ch, Object evt);

        void exception(Channel ch, Throwable cause);
    }

    private End end() {
        return channel().config().getRecvByteBufAllocator() instanceof End e && e.attached() ? e : null;
    }

    @Override
    protected void onUnhandledInboundMessage(ChannelHandlerContext ctx, Object msg) {
        End e = end();
        if (e == null) {
            super.onUnhandledInboundMessage(ctx, msg);
            return;
        }
        try {
            e.read(channel(), msg);
        } catch (Exception x) {
            // As from a handler: Netty catches it and fires exceptionCaught, which reaches the end too.
            PlatformDependent.throwException(x);
        }
    }

    @Override
    protected void onUnhandledInboundChannelReadComplete() {
        End e = end();
        if (e != null) e.readComplete(channel());
    }

    @Override
    protected void onUnhandledChannelWritabilityChanged() {
        End e = end();
        if (e != null) e.writabilityChanged(channel());
    }

    @Override
    protected void onUnhandledInboundUserEventTriggered(Object evt) {
        End e = end();
        if (e != null) e.userEvent(channel(), evt);
        super.onUnhandledInboundUserEventTriggered(evt); // releases it, as the pipeline's tail does
    }

    @Override
    protected void onUnhandledInboundException(Throwable cause) {
        End e = end();
        if (e == null) {
            super.onUnhandledInboundException(cause);
            return;
        }
        e.exception(channel(), cause);
    }
}
