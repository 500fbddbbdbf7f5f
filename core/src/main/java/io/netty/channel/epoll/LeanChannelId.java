package io.netty.channel.epoll;

import io.netty.channel.ChannelId;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lean channel's id: a number from a counter. Netty's {@code DefaultChannelId} reads the clock twice, draws a random
 * number and hashes them into a 28-byte array for every channel (two per proxied pair), and keeps both objects, 96
 * bytes per channel, for the channel's whole life. Here the number is a field of the channel's unsafe, which is the
 * id ({@link LeanSocketChannel}): no object of its own, and an increment. Ids are unique among live channels as long
 * as fewer than 2^32 channels are made while one lives (the counter wraps); jpen names connections by its own ids, and
 * a {@code ChannelGroup} (keyed by id) holds none of these channels.
 */
final class LeanChannelId {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private LeanChannelId() {
    }

    static int next() {
        return NEXT.getAndIncrement();
    }

    static String shortText(int value) {
        String hex = Integer.toHexString(value);
        return "00000000".substring(hex.length()) + hex;
    }

    static String longText(int value) {
        return "lean-" + shortText(value);
    }

    static int compare(int value, ChannelId o) {
        if (o instanceof LeanSocketChannel.LeanUnsafe other) return Integer.compareUnsigned(value, other.idValue);
        return longText(value).compareTo(o.asLongText());
    }
}
