package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultChannelPipeline;
import io.netty.util.internal.PlatformDependent;

/**
 * A lean channel's pipeline, whose end can be jpen's relay ({@link End}): what reaches the end of the pipeline is
 * handed to it, as a last handler would get it, without a handler context of its own (64 bytes per channel, two per
 * proxied pair, for the connection's whole life, and one hop less per event). Handlers added before it (TLS, HTTP,
 * PROXY headers, dumps) work as ever; without an end it is Netty's pipeline.
 */
public final class LeanPipeline extends DefaultChannelPipeline {
    private End end;

    LeanPipeline(Channel channel) {
        super(channel);
    }

    /** What handles the events that reach the end of a lean channel's pipeline (the relay). */
    public interface End {
        void read(Channel ch, Object msg) throws Exception;

        void readComplete(Channel ch);

        void writabilityChanged(Channel ch);

        void userEvent(Channel ch, Object evt);

        void exception(Channel ch, Throwable cause);
    }

    /** Set on the channel's loop, or before the channel is registered. */
    void end(End e) {
        end = e;
    }

    @Override
    protected void onUnhandledInboundMessage(ChannelHandlerContext ctx, Object msg) {
        End e = end;
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
        End e = end;
        if (e != null) e.readComplete(channel());
    }

    @Override
    protected void onUnhandledChannelWritabilityChanged() {
        End e = end;
        if (e != null) e.writabilityChanged(channel());
    }

    @Override
    protected void onUnhandledInboundUserEventTriggered(Object evt) {
        End e = end;
        if (e != null) e.userEvent(channel(), evt);
        super.onUnhandledInboundUserEventTriggered(evt); // releases it, as the pipeline's tail does
    }

    @Override
    protected void onUnhandledInboundException(Throwable cause) {
        End e = end;
        if (e == null) {
            super.onUnhandledInboundException(cause);
            return;
        }
        e.exception(channel(), cause);
    }
}
