package io.jpen.core.acl;

import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * One line of an ACL: permit or deny the addresses that equal {@code address} under {@code mask}. IPv4 entries
 * carry a dotted mask (Pen's {@code acl N permit IPv4 [mask]}), IPv6 entries a prefix length
 * ({@code acl N permit IPv6[/len]}). Parsing accepts address literals only, so a command never waits on DNS.
 */
public record AclEntry(boolean permit, byte[] address, byte[] mask, int prefixLength) {

    public AclEntry {
        if (address.length != mask.length || (address.length != 4 && address.length != 16)) {
            throw new IllegalArgumentException("an ACL entry needs an IPv4 or IPv6 address with a matching mask");
        }
        address = address.clone();
        mask = mask.clone();
        for (int i = 0; i < address.length; i++) address[i] &= mask[i]; // host bits never matter
    }

    /**
     * Parses the words after {@code acl N}: {@code permit|deny ADDRESS [MASK]} or {@code permit|deny ADDRESS[/LEN]}.
     * {@code country CC} is refused here: jpen has no GeoIP database, and matching nothing silently would be worse.
     */
    public static AclEntry parse(String[] words) {
        if (words.length < 2) throw new IllegalArgumentException("acl: expected 'permit|deny ADDRESS [MASK]'");
        boolean permit = switch (words[0]) {
            case "permit" -> true;
            case "deny" -> false;
            default -> throw new IllegalArgumentException("acl: '" + words[0] + "' is neither permit nor deny");
        };
        if (words[1].equals("country")) {
            throw new IllegalArgumentException("acl: country matching needs a GeoIP database, and none is configured");
        }
        String text = words[1];
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        byte[] address = NetUtil.createByteArrayFromIpAddressString(host);
        if (address == null) throw new IllegalArgumentException("acl: '" + host + "' is not an IPv4 or IPv6 address");
        if (address.length == 4) {
            if (slash >= 0) return prefixed(permit, address, text.substring(slash + 1), 32);
            if (words.length > 3) throw new IllegalArgumentException("acl: too many words after '" + words[2] + "'");
            byte[] mask = words.length == 3 ? NetUtil.createByteArrayFromIpAddressString(words[2]) : new byte[]{-1, -1, -1, -1};
            if (mask == null || mask.length != 4) throw new IllegalArgumentException("acl: '" + words[2] + "' is not an IPv4 mask");
            return new AclEntry(permit, address, mask, -1);
        }
        if (words.length > 2) throw new IllegalArgumentException("acl: an IPv6 entry takes ADDRESS[/LEN], not a separate mask");
        return prefixed(permit, address, slash < 0 ? "128" : text.substring(slash + 1), 128);
    }

    private static AclEntry prefixed(boolean permit, byte[] address, String lenText, int max) {
        int len;
        try {
            len = Integer.parseInt(lenText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("acl: prefix length '" + lenText + "' is not a number");
        }
        if (len < 0 || len > max) throw new IllegalArgumentException("acl: prefix length " + len + " is not in 0-" + max);
        byte[] mask = new byte[address.length];
        for (int i = 0; i < len; i++) mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        return new AclEntry(permit, address, mask, address.length == 16 ? len : -1);
    }

    /** Whether the address falls in this entry (an IPv4 entry never matches an IPv6 client, and the reverse). */
    public boolean matches(InetAddress client) {
        byte[] a = normalized(client);
        if (a.length != address.length) return false;
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & mask[i]) != address[i]) return false;
        }
        return true;
    }

    /** An IPv4-mapped IPv6 client (a dual-stack listener) is matched as the IPv4 address it is. */
    static byte[] normalized(InetAddress client) {
        byte[] a = client.getAddress();
        if (client instanceof Inet4Address || a.length != 16) return a;
        for (int i = 0; i < 10; i++) if (a[i] != 0) return a;
        if (a[10] != -1 || a[11] != -1) return a;
        return Arrays.copyOfRange(a, 12, 16);
    }

    /** The words after {@code acl N}, as {@code write} saves them and the parser reads them back. */
    public String text() {
        String verdict = permit ? "permit" : "deny";
        if (address.length == 4) {
            return verdict + " " + NetUtil.bytesToIpAddress(address) + " " + NetUtil.bytesToIpAddress(mask);
        }
        return verdict + " " + NetUtil.bytesToIpAddress(address) + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AclEntry e && e.permit == permit && e.prefixLength == prefixLength
                && Arrays.equals(e.address, address) && Arrays.equals(e.mask, mask);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + Arrays.hashCode(mask) + (permit ? 1 : 0);
    }

    @Override
    public String toString() {
        return text();
    }
}
