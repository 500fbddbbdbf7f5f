package io.jpen.core.engine;

import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * A transport's handlers for loops that never suspend or move their sockets to another thread. A loop whose handler
 * allows that (Netty's auto-scaling) is also timed: its handler reads the clock twice per pass to report how long
 * it was busy, which jpen never asks for.
 */
record PinnedLoops(IoHandlerFactory handlers) implements IoHandlerFactory {
    @Override
    public IoHandler newHandler(ThreadAwareExecutor executor) {
        return handlers.newHandler(executor);
    }

    @Override
    public boolean isChangingThreadSupported() {
        return false;
    }
}
