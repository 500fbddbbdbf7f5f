package io.netty.channel.epoll;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The options of a {@link LeanSocketChannel}. Unlike Netty's {@code EpollSocketChannelConfig}, it makes no system
 * call when the channel is made (Netty's turns {@code TCP_NODELAY} on and reads {@code SO_SNDBUF}), and it remembers
 * the options jpen sets ({@code TCP_NODELAY}, {@code SO_KEEPALIVE}, {@code SO_LINGER}) so that setting one to the value
 * the socket already has, or asking for it, costs nothing; the closing channel asks for {@code SO_LINGER} on every
 * close. Options jpen does not set are read from and written to the socket as Netty does.
 */
public final class LeanSocketConfig extends EpollChannelConfig implements SocketChannelConfig {
    /**
     * What Netty would size gathering writes to at first: twice the send buffer a new TCP socket gets (the middle value
     * of {@code net.ipv4.tcp_wmem}), read once instead of asked of every socket. The channel adapts it as it writes.
     */
    private static final long FIRST_GATHERING_WRITE = firstGatheringWrite();
    /**
     * The read sizing a channel has until it is given its own (the relay gives each of its channels one): shared, as
     * it holds only limits (the sizing state is in each channel's handle). Netty's config makes one per channel.
     * Reads per event as Netty's stream channels have it (16); a channel whose count is changed gets its own.
     */
    private static final AdaptiveRecvByteBufAllocator SHARED_READS = new AdaptiveRecvByteBufAllocator();

    private static final int HALF_CLOSURE = 1;
    private static final int NODELAY_KNOWN = 2;
    private static final int NODELAY = 4;
    private static final int KEEPALIVE_KNOWN = 8;
    private static final int KEEPALIVE = 16;

    /**
     * Half-closure allowed, and what the socket has of {@code TCP_NODELAY} and {@code SO_KEEPALIVE} when known: bits
     * of one byte, which with {@link #soLinger} fits the gap Netty's config classes leave before their {@code long}
     * (64 bytes per config instead of 80: two per connection, for its whole life). Written under this config's lock.
     */
    private volatile byte flags;
    /** Netty's convention: -1 for off. */
    private volatile int soLinger = -1;

    /**
     * {@code tcpNoDelay} and {@code keepAlive}: what the socket has now (a new socket: off; accepted: its listener's),
     * null when not known.
     */
    LeanSocketConfig(LeanSocketChannel channel, Boolean tcpNoDelay, Boolean keepAlive) {
        super(channel, SHARED_READS);
        int f = 0;
        if (tcpNoDelay != null) f |= NODELAY_KNOWN | (tcpNoDelay ? NODELAY : 0);
        if (keepAlive != null) f |= KEEPALIVE_KNOWN | (keepAlive ? KEEPALIVE : 0);
        this.flags = (byte) f;
        if (FIRST_GATHERING_WRITE > 0) setMaxBytesPerGatheringWrite(FIRST_GATHERING_WRITE);
    }

    private static long firstGatheringWrite() {
        try {
            String[] wmem = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            return Long.parseLong(wmem[1]) << 1;
        } catch (IOException | RuntimeException unreadable) {
            return 0; // Netty's unbounded default, which the channel narrows as it writes
        }
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ChannelOption.SO_RCVBUF, ChannelOption.SO_SNDBUF,
                ChannelOption.TCP_NODELAY, ChannelOption.SO_KEEPALIVE, ChannelOption.SO_REUSEADDR,
                ChannelOption.SO_LINGER, ChannelOption.IP_TOS, ChannelOption.ALLOW_HALF_CLOSURE,
                EpollChannelOption.IP_TRANSPARENT);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == ChannelOption.SO_RCVBUF) return (T) Integer.valueOf(getReceiveBufferSize());
        if (option == ChannelOption.SO_SNDBUF) return (T) Integer.valueOf(getSendBufferSize());
        if (option == ChannelOption.TCP_NODELAY) return (T) Boolean.valueOf(isTcpNoDelay());
        if (option == ChannelOption.SO_KEEPALIVE) return (T) Boolean.valueOf(isKeepAlive());
        if (option == ChannelOption.SO_REUSEADDR) return (T) Boolean.valueOf(isReuseAddress());
        if (option == ChannelOption.SO_LINGER) return (T) Integer.valueOf(getSoLinger());
        if (option == ChannelOption.IP_TOS) return (T) Integer.valueOf(getTrafficClass());
        if (option == ChannelOption.ALLOW_HALF_CLOSURE) return (T) Boolean.valueOf(isAllowHalfClosure());
        if (option == EpollChannelOption.IP_TRANSPARENT) {
            try {
                return (T) Boolean.valueOf(socket().isIpTransparent());
            } catch (IOException e) {
                throw new ChannelException(e);
            }
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == ChannelOption.SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == ChannelOption.SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == ChannelOption.TCP_NODELAY) {
            setTcpNoDelay((Boolean) value);
        } else if (option == ChannelOption.SO_KEEPALIVE) {
            setKeepAlive((Boolean) value);
        } else if (option == ChannelOption.SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == ChannelOption.SO_LINGER) {
            setSoLinger((Integer) value);
        } else if (option == ChannelOption.IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else if (option == EpollChannelOption.IP_TRANSPARENT) {
            try {
                socket().setIpTransparent((Boolean) value);
            } catch (IOException e) {
                throw new ChannelException(e);
            }
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    /** Sets the bits of {@code mask} to those of {@code value}. */
    private synchronized void flags(int mask, int value) {
        flags = (byte) (flags & ~mask | value);
    }

    @Override
    public boolean isTcpNoDelay() {
        int f = flags;
        if ((f & NODELAY_KNOWN) != 0) return (f & NODELAY) != 0;
        try {
            return socket().isTcpNoDelay();
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    @Override
    public LeanSocketConfig setTcpNoDelay(boolean on) {
        int f = flags;
        if ((f & NODELAY_KNOWN) != 0 && ((f & NODELAY) != 0) == on) return this;
        try {
            socket().setTcpNoDelay(on);
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        flags(NODELAY_KNOWN | NODELAY, NODELAY_KNOWN | (on ? NODELAY : 0));
        return this;
    }

    @Override
    public boolean isKeepAlive() {
        int f = flags;
        if ((f & KEEPALIVE_KNOWN) != 0) return (f & KEEPALIVE) != 0;
        try {
            return socket().isKeepAlive();
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    @Override
    public LeanSocketConfig setKeepAlive(boolean on) {
        int f = flags;
        if ((f & KEEPALIVE_KNOWN) != 0 && ((f & KEEPALIVE) != 0) == on) return this;
        try {
            socket().setKeepAlive(on);
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        flags(KEEPALIVE_KNOWN | KEEPALIVE, KEEPALIVE_KNOWN | (on ? KEEPALIVE : 0));
        return this;
    }

    @Override
    public int getSoLinger() {
        return soLinger;
    }

    @Override
    public LeanSocketConfig setSoLinger(int seconds) {
        try {
            socket().setSoLinger(seconds);
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        soLinger = seconds < 0 ? -1 : seconds;
        return this;
    }

    @Override
    public int getSendBufferSize() {
        try {
            return socket().getSendBufferSize(); // the kernel tunes it as the connection goes
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    @Override
    public LeanSocketConfig setSendBufferSize(int size) {
        try {
            socket().setSendBufferSize(size);
            setMaxBytesPerGatheringWrite((long) socket().getSendBufferSize() << 1);
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        try {
            return socket().getReceiveBufferSize();
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    @Override
    public LeanSocketConfig setReceiveBufferSize(int size) {
        try {
            socket().setReceiveBufferSize(size);
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        return this;
    }

    @Override
    public int getTrafficClass() {
        try {
            return socket().getTrafficClass();
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    @Override
    public LeanSocketConfig setTrafficClass(int trafficClass) {
        try {
            socket().setTrafficClass(trafficClass);
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        try {
            return socket().isReuseAddress();
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    @Override
    public LeanSocketConfig setReuseAddress(boolean on) {
        try {
            socket().setReuseAddress(on);
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        return this;
    }

    @Override
    public LeanSocketConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    public boolean isAllowHalfClosure() {
        return (flags & HALF_CLOSURE) != 0;
    }

    @Override
    public LeanSocketConfig setAllowHalfClosure(boolean allowHalfClosure) {
        flags(HALF_CLOSURE, allowHalfClosure ? HALF_CLOSURE : 0);
        return this;
    }

    // The rest only narrows the return type, as SocketChannelConfig wants.

    @Override
    public LeanSocketConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public LeanSocketConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        if (getRecvByteBufAllocator() == SHARED_READS) setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator());
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public LeanSocketConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public LeanSocketConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public LeanSocketConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public LeanSocketConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public LeanSocketConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public LeanSocketConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    public LeanSocketConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public LeanSocketConfig setEpollMode(EpollMode mode) {
        super.setEpollMode(mode);
        return this;
    }
}
