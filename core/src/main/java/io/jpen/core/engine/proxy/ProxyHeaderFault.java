package io.jpen.core.engine.proxy;

import io.jpen.core.model.Reasons;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a PROXY header, in words an operator reads in the log and the events. Netty's decoder reports
 * some faults as Java's own enum lookup failure ("java.lang.IllegalArgumentException: No enum constant
 * io.netty...HAProxyProxiedProtocol.TCP5"), and quotes the client's bytes as they came; this says
 * "unknown protocol 'TCP5' (expected TCP4, TCP6 or UNKNOWN)" and shows only printable characters.
 */
final class ProxyHeaderFault {
    /** A quoted header is cut here: enough to see what was sent, not a page of log per connection. */
    private static final int MAX_CHARS = 120;
    private static final Pattern NO_ENUM = Pattern.compile("No enum constant (?:[\\w$]+\\.)*HAProxyProxiedProtocol\\.(.*)",
            Pattern.DOTALL);
    private static final Pattern V2_FAMILY = Pattern.compile("unknown transport protocol \\+ address family: (-?\\d+)");
    private static final Pattern V2_COMMAND = Pattern.compile("unknown command: (-?\\d+)");
    private static final Pattern V2_VERSION = Pattern.compile("unknown version: (-?\\d+)");

    private ProxyHeaderFault() {}

    /** The decoder's failure {@code cause} as a phrase ("unknown protocol 'TCP5' ..."). */
    static String words(Throwable cause) {
        String m = mostSpecificMessage(cause);
        if (m == null) return "it could not be read";
        Matcher x = NO_ENUM.matcher(m);
        if (x.matches()) {
            String name = x.group(1);
            return name.isEmpty() ? "no protocol after PROXY (expected TCP4, TCP6 or UNKNOWN)"
                    : "unknown protocol '" + printable(name) + "' (expected TCP4, TCP6 or UNKNOWN)";
        }
        if ((x = V2_FAMILY.matcher(m)).matches()) {
            return "unknown address family and transport in a v2 header (byte 0x" + hex(x.group(1)) + ")";
        }
        if ((x = V2_COMMAND.matcher(m)).matches()) return "unknown command " + x.group(1) + " in a v2 header";
        if ((x = V2_VERSION.matcher(m)).matches()) {
            return "a binary header of version " + ((Integer.parseInt(x.group(1)) & 0xff) >> 4) + " (expected 2)";
        }
        if (m.startsWith("version 1 unsupported")) return "a binary header of version 1 (expected 2)";
        String plain = printable(Reasons.plain(m));
        return plain.isEmpty() ? "it could not be read" : plain;
    }

    /**
     * The innermost message, which names the bad part ("invalid IPv4 address: 999.1.1.1") where the outer ones
     * say "invalid HAProxy message" or repeat it with a class name in front; a number's parse failure ("For input
     * string") says less than the port message wrapped around it, so it is passed over.
     */
    private static String mostSpecificMessage(Throwable cause) {
        String found = null;
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof NumberFormatException) break;
            if (c.getMessage() != null && !c.getMessage().isBlank()) found = c.getMessage();
        }
        return found;
    }

    private static String hex(String signedByte) {
        return String.format("%02x", Integer.parseInt(signedByte) & 0xff);
    }

    private static String printable(String s) {
        return Reasons.printable(s, MAX_CHARS);
    }
}
