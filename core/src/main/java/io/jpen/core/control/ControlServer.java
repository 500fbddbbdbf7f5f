package io.jpen.core.control;

import io.jpen.core.model.Reasons;
import io.jpen.core.model.Origin;
import io.jpen.core.model.Reply;
import io.jpen.core.acl.AclCheck;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.Transport;
import io.jpen.core.model.Endpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control port ({@code -C [addr:]port} or {@code -C /path}), speaking Pen's wire format so Debian's penctl
 * works: one command per connection, a line of words; the reply is zero or more lines, and end of file ends it.
 * With no address it binds loopback only (Pen binds every address), since the port has no authentication.
 *
 * <p>Nothing a client does makes it hold much: at most {@link #MAX_CONNECTIONS} connections at once (more are told
 * so and closed), a command of at most {@link #MAX_COMMAND} bytes (it is one short line), {@link #LINE_SECONDS} to
 * send it however slowly the bytes come, and {@link #EXCHANGE_SECONDS} for the whole exchange. A client that
 * {@code control_acl} denies is answered and closed before anything it sent is read (what it sends then is
 * dropped, so it sees the answer rather than a reset). Commands run on threads of their own, never on the port's
 * event loop, so one that waits (a name lookup, a file) holds up no other client.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** Longest command accepted; anything longer is answered with an error, not buffered. */
    static final int MAX_COMMAND = 8 * 1024;
    /** Control connections at once; penctl opens one per command and closes it. */
    static final int MAX_CONNECTIONS = 64;
    /** Time to send the command line, counted from the connect (not renewed by each byte). */
    static final int LINE_SECONDS = 10;
    /** Time for the whole exchange, the reply included. */
    static final int EXCHANGE_SECONDS = 30;
    /** After the answer, how long what the client still sends is read and dropped before the connection closes. */
    private static final int LINGER_MILLIS = 1000;
    /** Small reads: a command is short, and a flood of connections must not take 64 KiB of buffer each. */
    private static final FixedRecvByteBufAllocator SMALL_READS = new FixedRecvByteBufAllocator(2048);

    private final Engine engine;
    /** Where each line goes: the remote door, so files a line names must lie in the daemon's directories. */
    private final Penctl penctl;
    private final Endpoint endpoint;
    private final AclCheck acl;
    private final EventLoopGroup group;
    private final ThreadPoolExecutor commands;
    private final AtomicInteger open = new AtomicInteger();
    private final Channel channel;

    private ControlServer(Penctl penctl, Endpoint endpoint, AclCheck acl) {
        this.penctl = penctl.remote();
        this.engine = penctl.engine();
        this.endpoint = endpoint;
        this.acl = acl;
        Transport transport = engine.transport();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jpen-control"), transport.ioHandlerFactory());
        // Commands take the engine's lock one at a time anyway; a few threads let one that waits leave the rest alone.
        this.commands = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_CONNECTIONS),
                new DefaultThreadFactory("jpen-control-commands", true));
        commands.allowCoreThreadTimeOut(true);
        try {
            this.channel = bind(transport);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            commands.shutdownNow();
            throw e;
        }
        penctl.daemon().control(boundEndpoint());
        log.info("control port on {}", boundEndpoint());
    }

    /**
     * Binds the control port; {@code Tcp(null, port)} means loopback. Throws with a clear message if it cannot.
     * Clients are checked with the engine's ACLs (read at each connection, so later ACL changes apply).
     */
    public static ControlServer start(Penctl penctl, Endpoint endpoint) {
        Engine engine = penctl.engine();
        return new ControlServer(penctl, endpoint, (list, address) -> engine.aclCheck().permits(list, address));
    }

    /** As {@link #start(Penctl, Endpoint)}, with an explicit ACL matcher. */
    public static ControlServer start(Penctl penctl, Endpoint endpoint, AclCheck acl) {
        return new ControlServer(penctl, endpoint, acl == null ? AclCheck.PERMIT_ALL : acl);
    }

    private Channel bind(Transport transport) {
        ServerBootstrap b = new ServerBootstrap().group(group)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, SMALL_READS)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Session());
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

    /** Control connections open now. */
    public int connections() {
        return open.get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        commands.shutdownNow();
        if (endpoint instanceof Endpoint.Unix u) {
            try {
                Files.deleteIfExists(u.path());
            } catch (IOException ignored) {
                // a leftover socket file is removed again at the next start
            }
        }
        if (penctl.daemon().control() != null) penctl.daemon().control(null);
    }

    /** One control connection: collect one line (or everything up to EOF), run it, answer, close. */
    private final class Session extends ChannelInboundHandlerAdapter {
        /** The line so far, on the heap: the relay's pooled buffers are not the control port's to take. */
        private ByteBuf pending;
        /** Once the answer is decided, what arrives is read and dropped, never kept. */
        private boolean done;
        /** The answer is out and the output ended: the client's EOF (or a short wait) closes the connection. */
        private boolean lingering;
        /** Whether this connection counts against MAX_CONNECTIONS. */
        private boolean counted;
        private ScheduledFuture<?> lineDeadline;
        private ScheduledFuture<?> exchangeDeadline;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            exchangeDeadline = ch.eventLoop().schedule(() -> {
                ch.close();
            }, EXCHANGE_SECONDS, TimeUnit.SECONDS);
            ctx.fireChannelActive();
            int list = engine.settings().controlAcl();
            if (list >= 0 && ch.remoteAddress() instanceof InetSocketAddress isa && !acl.permits(list, isa.getAddress())) {
                engine.events().add("control-denied", "control connection from " + Reasons.peer(isa) + " denied by control_acl " + list);
                answer(ctx, Reply.error("control access denied by control_acl " + list));
                return; // not counted: denied clients cannot take the places of permitted ones
            }
            counted = true;
            if (open.incrementAndGet() > MAX_CONNECTIONS) {
                answer(ctx, Reply.error("too many control connections (limit " + MAX_CONNECTIONS + "); try again"));
                return;
            }
            lineDeadline = ch.eventLoop().schedule(() -> {
                if (!done) answer(ctx, Reply.error("no complete command within " + LINE_SECONDS + " s"));
            }, LINE_SECONDS, TimeUnit.SECONDS);
            pending = Unpooled.buffer(256, MAX_COMMAND);
            ctx.read();
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
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // Reading on while the line is incomplete, and (dropping it) once answered; not while a command runs.
            if (!done || pending == null) ctx.read();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                if (!done) run(ctx); // penctl may end without a newline
                else if (lingering) ctx.close(); // answered, and the client is done too
            }
            ctx.fireUserEventTriggered(evt);
        }

        /** Hands the line to a command thread; the answer comes back to this channel's event loop. */
        private void run(ChannelHandlerContext ctx) {
            done = true;
            String line = pending.toString(StandardCharsets.UTF_8);
            try {
                commands.execute(() -> {
                    Reply r = penctl.execute(line, Origin.PENCTL);
                    try {
                        ctx.channel().eventLoop().execute(() -> answer(ctx, r));
                    } catch (RejectedExecutionException stopping) {
                        // the control port is closing; the connection goes with it
                    }
                });
            } catch (RejectedExecutionException busy) {
                answer(ctx, Reply.error("control port busy; try again"));
            }
        }

        /** Writes the reply, ends the output (EOF ends a reply), and closes once the client is done or soon after. */
        private void answer(ChannelHandlerContext ctx, Reply reply) {
            done = true;
            if (pending != null) {
                pending.release();
                pending = null;
            }
            if (lineDeadline != null) lineDeadline.cancel(false);
            Channel ch = ctx.channel();
            if (!ch.isActive()) return;
            String text = reply.text() == null ? "" : reply.text();
            if (!text.isEmpty() && !text.endsWith("\n")) text += "\n";
            ByteBuf out = text.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            ch.writeAndFlush(out).addListener(f -> {
                if (!f.isSuccess() || !(ch instanceof DuplexChannel d) || d.isInputShutdown()) {
                    ch.close();
                    return;
                }
                d.shutdownOutput();
                lingering = true;
                ch.eventLoop().schedule(() -> {
                    ch.close();
                }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
                ch.read();
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
            if (lineDeadline != null) lineDeadline.cancel(false);
            if (exchangeDeadline != null) exchangeDeadline.cancel(false);
            if (counted) open.decrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
