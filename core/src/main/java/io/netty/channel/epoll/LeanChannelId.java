package io.netty.channel.epoll;

import io.netty.channel.ChannelId;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lean channel's id: a number from a counter. Netty's {@code DefaultChannelId} reads the clock twice, draws a random
 * number and hashes them into a 28-byte array for every channel (two per proxied pair), and keeps both objects, 96
 * bytes per channel, for the channel's whole life; this is 16 bytes and an increment. Ids are unique among live
 * channels as long as fewer than 2^32 channels are made while one lives (the counter wraps); jpen names connections by
 * its own ids, and a {@code ChannelGroup} (keyed by id) holds none of these channels.
 */
final class LeanChannelId implements ChannelId {
    private static final long serialVersionUID = 1L;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final int value;

    private LeanChannelId(int value) {
        this.value = value;
    }

    static LeanChannelId next() {
        return new LeanChannelId(NEXT.getAndIncrement());
    }

    @Override
    public String asShortText() {
        String hex = Integer.toHexString(value);
        return "00000000".substring(hex.length()) + hex;
    }

    @Override
    public String asLongText() {
        return "lean-" + asShortText();
    }

    @Override
    public int hashCode() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeanChannelId other && other.value == value;
    }

    @Override
    public int compareTo(ChannelId o) {
        if (o instanceof LeanChannelId other) return Integer.compareUnsigned(value, other.value);
        return asLongText().compareTo(o.asLongText());
    }

    @Override
    public String toString() {
        return asShortText();
    }
}
