package io.jpen.core.select;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The fixed hash behind the Maglev table: SHA-256 from the JDK ({@link MessageDigest}), read as big-endian 64-bit
 * words. It is defined by a standard, so every process, JVM and version computes the same value (sha256sum or any
 * language reproduces it), which {@code String.hashCode} with its per-type rules or an identity hash would not
 * promise. It is slower than a hand-rolled mixer, but runs once per new client connection on a few bytes (well
 * under a microsecond), and no hash code of jpen's own needs checking against published vectors.
 */
final class MaglevHash {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e); // required of every Java platform
        }
    });

    private MaglevHash() {}

    /** SHA-256 of {@code bytes}: 32 bytes, four 64-bit words. */
    static byte[] digest(byte[] bytes) {
        MessageDigest d = SHA256.get();
        d.reset();
        return d.digest(bytes);
    }

    /** The big-endian 64-bit word at {@code offset} of {@code b}. */
    static long word(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[offset + i] & 0xff);
        return v;
    }

    /**
     * A client's key: the SHA-256 of its address bytes (4 for IPv4, also for an IPv4-mapped IPv6 address; 16 for
     * IPv6). The port is not part of it (unlike Pen's modulo hash under -r): a client keeps its server across
     * connections with no tracking table, which is what lets balancers agree without sharing state.
     */
    static long client(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && mappedIpv4(a)) a = java.util.Arrays.copyOfRange(a, 12, 16);
        return word(digest(a), 0);
    }

    private static boolean mappedIpv4(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }
}
