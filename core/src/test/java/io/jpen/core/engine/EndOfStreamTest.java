package io.jpen.core.engine;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Passing a client's or server's end on to the other side, as the relay does on epoll. */
@Timeout(30)
class EndOfStreamTest {

    @Test
    void passingTheEndToASocketThatIsNoLongerConnectedClosesItInsteadOfThrowing() throws Exception {
        assumeTrue(Transport.EPOLL.available(), "epoll is not available here");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            EpollSocketChannel ch = new EpollSocketChannel();
            group.register(ch).sync();
            // A socket that never connected answers shutdown with ENOTCONN, as one the server has just reset does
            // (the churn test met that: the exception escaped and the client waited for ever).
            ch.eventLoop().submit(() -> Relay.shutdownOutput(ch, ch)).get(5, TimeUnit.SECONDS);
            assertThat(ch.closeFuture().await(5, TimeUnit.SECONDS)).as("the channel closed").isTrue();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
