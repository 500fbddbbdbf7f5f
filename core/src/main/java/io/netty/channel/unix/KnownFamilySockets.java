package io.netty.channel.unix;

import java.lang.reflect.Field;

/**
 * Socket objects for descriptors whose family jpen knows already. Netty's {@link Socket} constructor asks the kernel
 * for every new descriptor's address ({@code getsockname}) only to learn whether it is IPv6, which jpen knows: it
 * made the socket of a family it chose, or accepted it from a listener of that family. Made without the constructor
 * (as serialization makes objects), with the two fields the constructor would set, the descriptor and the family;
 * SocketFactoryTest checks that the result equals a constructed one field by field, so a Netty upgrade that adds a
 * field shows there. Where the JVM does not allow it, {@link #wrap} answers null and the caller constructs as usual.
 *
 * <p>In Netty's package because {@link Socket#newSocketStream0(boolean)} is protected.
 */
public final class KnownFamilySockets {
    private static final sun.misc.Unsafe UNSAFE;
    private static final long FD;
    private static final long IPV6;

    static {
        sun.misc.Unsafe unsafe = null;
        long fd = -1;
        long ipv6 = -1;
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = (sun.misc.Unsafe) f.get(null);
            fd = unsafe.objectFieldOffset(FileDescriptor.class.getDeclaredField("fd"));
            ipv6 = unsafe.objectFieldOffset(Socket.class.getDeclaredField("ipv6"));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
            unsafe = null;
        }
        UNSAFE = unsafe;
        FD = fd;
        IPV6 = ipv6;
    }

    private KnownFamilySockets() {
    }

    /** A new non-blocking TCP socket's descriptor: IPv6 (dual-stack) or IPv4. */
    public static int newStreamFd(boolean ipv6) {
        return Socket.newSocketStream0(ipv6);
    }

    /**
     * A {@code type} object (a {@link Socket} that adds no field of its own) for descriptor {@code fd} of the family
     * given, as its constructor would make it, less the system call; null if this JVM cannot make it so.
     */
    public static <T extends Socket> T wrap(Class<T> type, int fd, boolean ipv6) {
        if (UNSAFE == null) return null;
        try {
            T s = type.cast(UNSAFE.allocateInstance(type));
            UNSAFE.putInt(s, FD, fd);
            UNSAFE.putBoolean(s, IPV6, ipv6);
            UNSAFE.storeFence(); // published as a constructed object's final fields are
            return s;
        } catch (InstantiationException | RuntimeException e) {
            return null;
        }
    }
}
