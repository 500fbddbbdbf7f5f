package io.jpen.core.engine;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.LeanServerSocketChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.DuplexChannelConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The listener's acceptor: each accepted client is set up and registered with an event loop, and handed to the relay
 * once registered. It stands in for ServerBootstrap's acceptor and a ChannelInitializer, which cost every client an
 * options map walked, an initializer added to its pipeline and removed again, a concurrent set's insert and removal,
 * and a listener object: here the relay is called from one listener shared by all clients.
 */
final class Accepting extends ListenerHandler implements LeanServerSocketChannel.Clients {
    private static final Logger log = LoggerFactory.getLogger(Accepting.class);

    private final EventLoopGroup group;
    private final Relay relay;
    private final boolean halfClosure;
    /** Runs once a client is registered: the relay takes it from there. */
    private final ChannelFutureListener registered;

    Accepting(EventLoopGroup group, Relay relay, boolean halfClosure) {
        this.group = group;
        this.relay = relay;
        this.halfClosure = halfClosure;
        this.registered = f -> {
            Channel child = f.channel();
            if (!f.isSuccess()) {
                forceClose(child, f.cause());
                return;
            }
            try {
                relay.accepted(child);
            } catch (RuntimeException e) {
                log.warn("setting up a client connection failed: {}", e.toString());
                child.close();
            }
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        try {
            ChannelConfig c = child.config();
            c.setAllocator(PooledByteBufAllocator.DEFAULT);
            // Read from the start (autoRead stays on, Netty's default): its first bytes (a request, usually) wait in
            // the relay until the server is connected, and its socket joins the epoll set wanting input once.
            if (halfClosure && c instanceof DuplexChannelConfig d) d.setAllowHalfClosure(true);
            // The listener goes on before the registration starts: registered on another loop, the channel could
            // otherwise be active and reading before the relay took it, and what it read would be lost.
            EventLoop loop = group.next();
            ChannelPromise promise = new DefaultChannelPromise(child, loop);
            promise.addListener(registered);
            loop.register(promise);
        } catch (Throwable t) {
            forceClose(child, t);
        }
    }

    @Override
    public boolean wanted() {
        return relay.plainPairs();
    }

    /** A plain pair's client: on its loop, the relay takes it from there, as a channel's once registered. */
    @Override
    public void take(LeanServerSocketChannel listener, LinuxSocket client, InetSocketAddress peer, Boolean tcpNoDelay,
                     Boolean keepAlive) {
        IoEventLoop loop = (IoEventLoop) group.next();
        Runnable start = () -> {
            try {
                relay.plainAccepted(listener, loop, client, peer, tcpNoDelay, keepAlive);
            } catch (RuntimeException e) {
                log.warn("setting up a client connection failed: {}", e.toString());
                closeQuietly(client);
            }
        };
        if (loop.inEventLoop()) {
            start.run();
            return;
        }
        try {
            loop.execute(start);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            closeQuietly(client);
        }
    }

    private static void closeQuietly(LinuxSocket s) {
        try {
            s.close();
        } catch (java.io.IOException ignored) {
            // gone already
        }
    }

    private static void forceClose(Channel child, Throwable t) {
        child.unsafe().closeForcibly();
        log.warn("could not register an accepted connection: {}", t.toString());
    }

    /**
     * As Netty's own acceptor: a failed accept (no descriptor left) pauses accepting for a second, so the loop does
     * not spin on it; the failure goes on to be counted ({@link LocalShortage}).
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), 1, TimeUnit.SECONDS);
        }
        ctx.fireExceptionCaught(cause);
    }
}
