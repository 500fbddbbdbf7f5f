package io.jpen.core.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Time limits of one API connection that no trickle of bytes renews (a read timeout is renewed by every byte, so
 * one byte every few seconds held a connection for good): a connection waiting for a request is closed after
 * {@code idleSeconds}; once a request's first byte has come (the TLS handshake counts), the whole request has
 * {@code requestSeconds} to arrive. While a request is being answered there is no limit. First in the pipeline, so
 * it sees the bytes as they come off the socket.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    private enum State { WAITING, READING, ANSWERING }

    private final int idleSeconds;
    private final int requestSeconds;
    private ChannelHandlerContext ctx;
    private State state = State.WAITING;
    private ScheduledFuture<?> timer;

    RequestDeadline(int idleSeconds, int requestSeconds) {
        this.idleSeconds = idleSeconds;
        this.requestSeconds = requestSeconds;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(idleSeconds);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.WAITING) {
            state = State.READING;
            arm(requestSeconds);
        }
        ctx.fireChannelRead(msg);
    }

    /** A whole request has arrived: it is being answered. */
    void requestReceived() {
        state = State.ANSWERING;
        cancel();
    }

    /** The answer is out; the connection waits for the next request. */
    void awaitingRequest() {
        state = State.WAITING;
        arm(idleSeconds);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void arm(int seconds) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            ctx.close();
        }, seconds, TimeUnit.SECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
