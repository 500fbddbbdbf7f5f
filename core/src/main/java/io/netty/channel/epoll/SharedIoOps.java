package io.netty.channel.epoll;

import java.lang.reflect.Field;

/**
 * Fills Netty's cache of epoll interest and event sets with every combination of the flags a TCP channel uses. Netty
 * caches only the single flags and all four together; any other set (reading and hang-up, reading and writing, what a
 * closing socket reports) is a new {@code EpollIoOps} and event object each time a channel changes its interest or an
 * event arrives, and each channel keeps its last set for its whole life. With the cache filled they are shared.
 * Filled once, before the first lean channel; where the JVM does not allow it, nothing changes.
 */
final class SharedIoOps {
    /** Linux's EPOLLHUP, which the kernel reports whether asked or not (Netty has no constant for it). */
    private static final int EPOLLHUP = 0x10;
    private static final int[] FLAGS = {Native.EPOLLIN, Native.EPOLLOUT, Native.EPOLLERR, Native.EPOLLRDHUP, EPOLLHUP};

    static {
        try {
            Field f = EpollIoOps.class.getDeclaredField("EVENTS");
            f.setAccessible(true);
            EpollIoEvent[] cache = (EpollIoEvent[]) f.get(null);
            for (int combo = 1; combo < 1 << FLAGS.length; combo++) {
                int value = 0;
                for (int i = 0; i < FLAGS.length; i++) if ((combo & 1 << i) != 0) value |= FLAGS[i];
                if (value < cache.length && cache[value] == null) cache[value] = EpollIoOps.eventOf(value);
            }
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // Netty's own cache as it is: the sets are made per use, as without this class
        }
    }

    private SharedIoOps() {
    }

    /** Makes sure the cache is filled (the class's initialisation does it, once). */
    static void ensure() {
        // the static initialiser has run by the time this returns
    }
}
