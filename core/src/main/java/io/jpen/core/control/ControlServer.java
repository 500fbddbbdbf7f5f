package io.jpen.core.control;

import io.jpen.core.acl.AclCheck;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.Transport;
import io.jpen.core.model.Endpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The control port ({@code -C [addr:]port} or {@code -C /path}), speaking Pen's wire format so Debian's penctl
 * works: one command per connection, a line of words; the reply is zero or more lines, and end of file ends it.
 * With no address it binds loopback only (Pen binds every address), since the port has no authentication.
 * Clients are checked against the {@code control_acl} list before a byte is read.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** Longest command accepted; anything longer is answered with an error, not buffered. */
    static final int MAX_COMMAND = 64 * 1024;
    /** A client that connects and says nothing is dropped after this long. */
    static final int IDLE_SECONDS = 30;

    private final Engine engine;
    private final Endpoint endpoint;
    private final AclCheck acl;
    private final EventLoopGroup group;
    private final Channel channel;

    private ControlServer(Engine engine, Endpoint endpoint, AclCheck acl) {
        this.engine = engine;
        this.endpoint = endpoint;
        this.acl = acl;
        Transport transport = engine.transport();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jpen-control"), transport.ioHandlerFactory());
        try {
            this.channel = bind(transport);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        engine.daemon().control(boundEndpoint());
        log.info("control port on {}", boundEndpoint());
    }

    /**
     * Binds the control port; {@code Tcp(null, port)} means loopback. Throws with a clear message if it cannot.
     * Clients are checked with the engine's ACLs (read at each connection, so later ACL changes apply).
     */
    public static ControlServer start(Engine engine, Endpoint endpoint) {
        return new ControlServer(engine, endpoint, (list, address) -> engine.aclCheck().permits(list, address));
    }

    /** As {@link #start(Engine, Endpoint)}, with an explicit ACL matcher. */
    public static ControlServer start(Engine engine, Endpoint endpoint, AclCheck acl) {
        return new ControlServer(engine, endpoint, acl == null ? AclCheck.PERMIT_ALL : acl);
    }

    private Channel bind(Transport transport) {
        ServerBootstrap b = new ServerBootstrap().group(group)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS), new Session());
                    }
                });
        SocketAddress address;
        if (endpoint instanceof Endpoint.Unix u) {
            b.channel(transport.serverDomainChannel());
            try {
                Files.deleteIfExists(u.path());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove stale control socket " + u.path(), e);
            }
            address = transport == Transport.NIO ? java.net.UnixDomainSocketAddress.of(u.path())
                    : new DomainSocketAddress(u.path().toFile());
        } else {
            Endpoint.Tcp t = (Endpoint.Tcp) endpoint;
            b.channel(transport.serverChannel()).option(ChannelOption.SO_REUSEADDR, true);
            InetAddress host;
            try {
                host = t.host() == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(t.host());
            } catch (IOException e) {
                throw new IllegalArgumentException("control port: unknown or invalid address '" + t.host() + "'");
            }
            address = new InetSocketAddress(host, t.port());
        }
        Channel ch;
        try {
            ch = b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot open control port " + endpoint + ": " + e.getMessage(), e);
        }
        if (endpoint instanceof Endpoint.Unix u) {
            try {
                // Only the owner may talk to an unauthenticated control socket.
                Files.setPosixFilePermissions(u.path(), PosixFilePermissions.fromString("rw-------"));
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("cannot restrict permissions of {}: {}", u.path(), e.getMessage());
            }
        }
        return ch;
    }

    /** The address bound, with the real port when 0 was asked for. */
    public Endpoint boundEndpoint() {
        if (channel.localAddress() instanceof InetSocketAddress isa) {
            return new Endpoint.Tcp(Replies.host(isa), isa.getPort());
        }
        return endpoint;
    }

    public int port() {
        return channel.localAddress() instanceof InetSocketAddress isa ? isa.getPort() : -1;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (endpoint instanceof Endpoint.Unix u) {
            try {
                Files.deleteIfExists(u.path());
            } catch (IOException ignored) {
                // a leftover socket file is removed again at the next start
            }
        }
        if (engine.daemon().control() != null) engine.daemon().control(null);
    }

    /** One control connection: collect one line (or everything up to EOF), run it, answer, close. */
    private final class Session extends ChannelInboundHandlerAdapter {
        private ByteBuf pending;
        private boolean done;
        /** Set when control_acl refuses this client: its line is read (so it sees an answer, not a reset), never run. */
        private String denied;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            int list = engine.settings().controlAcl();
            if (list >= 0 && ctx.channel().remoteAddress() instanceof InetSocketAddress isa
                    && !acl.permits(list, isa.getAddress())) {
                engine.events().add("control-denied", "control connection from " + isa + " denied by control_acl " + list);
                denied = "control access denied by control_acl " + list;
            }
            pending = ctx.alloc().buffer(256);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf in) || done) {
                ReferenceCountUtil.release(msg);
                return;
            }
            try {
                int nl = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                int take = (nl < 0 ? in.writerIndex() : nl) - in.readerIndex();
                if (pending.readableBytes() + take > MAX_COMMAND) {
                    answer(ctx, Reply.error("command longer than " + MAX_COMMAND + " bytes"));
                    return;
                }
                pending.writeBytes(in, in.readerIndex(), take);
                if (nl >= 0) run(ctx);
            } finally {
                in.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && !done) run(ctx); // penctl may end without a newline
            ctx.fireUserEventTriggered(evt);
        }

        private void run(ChannelHandlerContext ctx) {
            if (denied != null) {
                answer(ctx, Reply.error(denied));
                return;
            }
            String line = pending.toString(StandardCharsets.UTF_8);
            Reply reply;
            try {
                reply = engine.execute(CommandParser.parse(line));
            } catch (IllegalArgumentException e) {
                reply = Reply.error(e.getMessage());
            }
            answer(ctx, reply);
        }

        private void answer(ChannelHandlerContext ctx, Reply reply) {
            done = true;
            String text = reply.text() == null ? "" : reply.text();
            if (!text.isEmpty() && !text.endsWith("\n")) text += "\n";
            ByteBuf out = text.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
