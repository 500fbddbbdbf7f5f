package io.jpen.core.engine;

import io.jpen.core.model.Settings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.logging.LoggingHandler;

import java.util.Locale;

/**
 * Pen's communication dump: the bytes of one connection in both directions as they pass, with its opening, ends and
 * back-pressure between them. Pen's form: the byte count, a colon, then the bytes, in ASCII ({@code -a},
 * {@code ascii}: anything neither printable nor white space as '.') or in hex. It sits in a connection's pipeline
 * only when the connection was accepted with a dump wanted, so without one the data path (and splicing) is untouched.
 */
final class ByteDump extends LoggingHandler {
    static final String NAME = "dump";
    /** Pen dumps from debug 3 on, in hex unless ascii is on; jpen also dumps, in ASCII, with ascii alone. */
    static final int DEBUG_LEVEL = 3;

    private final String connection;
    /** Whether this handler is on the client's channel (reads come from the client) or the server's. */
    private final boolean clientSide;
    private final boolean ascii;

    private ByteDump(int connection, boolean clientSide, boolean ascii) {
        super("jpen.dump", LogLevel.INFO);
        this.connection = "connection " + connection;
        this.clientSide = clientSide;
        this.ascii = ascii;
    }

    /** The dump for a new connection's channel on {@code clientSide}, or null when these settings want none. */
    static ByteDump wanted(Settings s, int connection, boolean clientSide) {
        return s.ascii() || s.debug() >= DEBUG_LEVEL ? new ByteDump(connection, clientSide, s.ascii()) : null;
    }

    @Override
    protected String format(ChannelHandlerContext ctx, String eventName) {
        return connection + " " + eventName.toLowerCase(Locale.ROOT); // active, inactive, close, writability changed
    }

    @Override
    protected String format(ChannelHandlerContext ctx, String eventName, Object arg) {
        ByteBuf data = arg instanceof ByteBuf b ? b : arg instanceof ByteBufHolder h ? h.content() : null;
        if (data == null) return connection + " " + eventName.toLowerCase(Locale.ROOT) + ": " + arg;
        boolean fromClient = eventName.equals("READ") == clientSide;
        StringBuilder b = new StringBuilder(connection.length() + 24 + data.readableBytes() * (ascii ? 1 : 3))
                .append(connection).append(fromClient ? " from client " : " from server ")
                .append(data.readableBytes()).append(": ");
        for (int i = data.readerIndex(); i < data.writerIndex(); i++) {
            int c = data.getByte(i) & 0xff;
            if (!ascii) {
                b.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16)).append(' ');
            } else {
                b.append(printable(c) ? (char) c : '.');
            }
        }
        return b.toString();
    }

    /** C's isprint or isspace, as Pen tests each byte. */
    private static boolean printable(int c) {
        return (c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r');
    }

    /** The events worth a line, in words: an end of input, a TLS handshake; Netty's others pass unlogged. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            logger.log(internalLevel, connection + " end of input from " + (clientSide ? "client" : "server"));
        } else if (evt instanceof SslHandshakeCompletionEvent h) {
            logger.log(internalLevel, connection + " TLS handshake " + (h.isSuccess() ? "done" : "failed: " + h.cause().getMessage()));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        logger.log(internalLevel, connection + " error: " + cause.getMessage());
        ctx.fireExceptionCaught(cause);
    }

    // Said on every read and write: the bytes themselves tell as much, so these pass without a line.
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        ctx.fireChannelUnregistered();
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }
}
