package io.jpen.core.reliability;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import java.util.concurrent.TimeUnit;

/**
 * Event loops and buffers for the test's own clients and backends, kept apart from jpen's: thousands of sockets
 * without thousands of threads, and a buffer pool of their own, so jpen's pool metrics measure jpen alone.
 */
final class TestNetty implements AutoCloseable {
    final EventLoopGroup group;
    final ByteBufAllocator alloc = new PooledByteBufAllocator(true);

    TestNetty(int threads) {
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static int intProperty(String name, int dflt) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.strip());
    }

    static long longProperty(String name, long dflt) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? dflt : Long.parseLong(v.strip());
    }
}
