package io.jpen.core.engine.health;

import io.jpen.core.model.HealthSettings;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Why a check failed, in the words an operator reads in events and the console ("connection refused by
 * 127.0.0.1:8083", "no answer within 2 s"): never an exception's class name.
 */
final class CheckWords {
    private CheckWords() {}

    static String address(InetSocketAddress a) {
        return io.netty.util.NetUtil.toSocketAddressString(a);
    }

    static String seconds(long millis) {
        return HealthSettings.Seconds.text(millis) + " s";
    }

    static String timeout(long millis) {
        return "no answer within " + seconds(millis);
    }

    /** A failed connect or a broken connection, as a sentence. */
    static String failure(Throwable cause, InetSocketAddress to, long timeoutMillis) {
        String where = address(to);
        if (cause == null) return "connection to " + where + " failed";
        if (cause instanceof io.netty.channel.ConnectTimeoutException) return timeout(timeoutMillis);
        String m = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("refused")) return "connection refused by " + where;
        if (m.contains("reset")) return "connection reset by " + where;
        if (m.contains("broken pipe")) return "connection closed by " + where + " while the check was sent";
        if (m.contains("no route")) return "no route to " + where;
        if (m.contains("network is unreachable") || m.contains("unreachable")) return "network unreachable for " + where;
        if (m.contains("timed out")) return timeout(timeoutMillis);
        if (m.contains("too many open files")) return "no socket for the check: too many open files";
        return "connection to " + where + " failed" + (m.isEmpty() ? "" : ": " + plain(cause.getMessage()));
    }

    /** The part of a native error message after Netty's {@code connect(..) failed:} prefix. */
    private static String plain(String message) {
        int i = message.indexOf("failed: ");
        String m = i >= 0 ? message.substring(i + "failed: ".length()) : message;
        int slash = m.indexOf(": /");
        return slash >= 0 ? m.substring(0, slash) : m;
    }

    /** A peer's answer, short and printable, for "got …". */
    static String excerpt(CharSequence received) {
        String s = received.length() > 40 ? received.subSequence(0, 40) + "…" : received.toString();
        return io.jpen.core.model.HealthCheck.quote(s);
    }
}
