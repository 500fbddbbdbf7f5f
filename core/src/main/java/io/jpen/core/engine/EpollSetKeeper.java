package io.jpen.core.engine;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;

/**
 * Netty's epoll handler with one fault worked around: a socket stays in the epoll set until it is closed.
 *
 * <p>Netty 4.2.18 (to 4.2.20) removes a socket from the epoll set ({@code EPOLL_CTL_DEL}) when the channel asks
 * for no events, yet remembers it as added; the channel's next request ({@code EPOLL_CTL_MOD}, e.g. "tell me when I
 * can write") then fails with ENOENT and the channel is closed with data still queued. A half-closed client that
 * is sent a large answer hits exactly that: once its input has ended and the answer fills its socket buffer. Asking
 * for {@code EPOLLERR} instead of nothing keeps the socket in the set; the kernel reports errors and hang-ups
 * whether asked or not, so the events delivered are the same as for an empty set.
 */
final class EpollSetKeeper implements IoHandler {
    private final IoHandler epoll;

    private EpollSetKeeper(IoHandler epoll) {
        this.epoll = epoll;
    }

    static IoHandlerFactory newFactory() {
        IoHandlerFactory epoll = EpollIoHandler.newFactory();
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(io.netty.util.concurrent.ThreadAwareExecutor executor) {
                return new EpollSetKeeper(epoll.newHandler(executor));
            }

            @Override
            public boolean isChangingThreadSupported() {
                return epoll.isChangingThreadSupported();
            }
        };
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return new Kept(epoll.register(handle));
    }

    @Override
    public void initialize() {
        epoll.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        return epoll.run(context);
    }

    @Override
    public void prepareToDestroy() {
        epoll.prepareToDestroy();
    }

    @Override
    public void destroy() {
        epoll.destroy();
    }

    @Override
    public void wakeup() {
        epoll.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return epoll.isCompatible(handleType);
    }

    /** One socket's registration: "no events" becomes "errors only", which Netty's handler never removes. */
    private record Kept(IoRegistration registration) implements IoRegistration {
        @Override
        public <T> T attachment() {
            return registration.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            return registration.submit(EpollIoOps.NONE.equals(ops) ? EpollIoOps.EPOLLERR : ops);
        }

        @Override
        public boolean isValid() {
            return registration.isValid();
        }

        @Override
        public boolean cancel() {
            return registration.cancel();
        }
    }
}
