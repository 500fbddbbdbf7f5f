package io.jpen.core.model;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why something failed, as a sentence an operator reads: "connection refused by 127.0.0.1:8083", "no answer within
 * 3 s", "cannot find the host db.example". Events, replies and banners show these instead of exception text, which
 * names Java classes ({@code AnnotatedConnectException: Connection refused: /127.0.0.1:8083}) and means nothing to
 * whoever runs the balancer.
 */
public final class Reasons {
    private Reasons() {}

    /**
     * {@code io.netty.channel.AbstractChannel$AnnotatedConnectException: }, {@code SSLException: },
     * {@code java.util.concurrent.ThreadPoolExecutor@1f2e3d[...]} and the like, anywhere in a message.
     */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "(?:[A-Za-z_$][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error)(?:\\$[\\w$]+)*:?\\s*"
            + "|\\b(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:@[0-9a-f]+)?(?:\\[[^\\]]*\\])?:?\\s*");
    private static final Pattern AFTER_MILLIS = Pattern.compile("after (\\d+) ?ms");

    /** {@code why} about {@code peer}, with no known time limit. */
    public static String of(Throwable why, SocketAddress peer) {
        return of(why, peer == null ? null : peer(peer), null);
    }

    /** {@code why} about {@code peer}, with no known time limit. */
    public static String of(Throwable why, String peer) {
        return of(why, peer, null);
    }

    /**
     * @param why     the failure (wrappers such as CompletionException are looked through)
     * @param peer    whom the failure was about ("127.0.0.1:8083"), or null
     * @param timeout the time limit that applied, for "no answer within …", or null when not known
     */
    public static String of(Throwable why, String peer, Duration timeout) {
        if (why == null) return "failed";
        Throwable t = unwrap(why);
        String to = peer == null || peer.isBlank() ? "" : " " + peer;
        // the specific cause anywhere in the chain first (the JDK's HttpClient wraps the telling one deep inside)
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String said = reason(c, to, peer, timeout);
            if (said != null) return said;
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String said = general(c, to);
            if (said != null) return said;
        }
        String plain = plain(deepestMessage(t));
        return plain.isEmpty() ? "an unexpected failure" + (peer == null ? "" : " with" + to) : plain;
    }

    /**
     * What went wrong, for a failure that may carry its own sentence: jpen's own exceptions already say what was
     * wrong ("cannot attach to http://127.0.0.1:9090: connection refused by 127.0.0.1:9090") and keep it; anything
     * whose message names a class, or has none, is put in words by {@link #of(Throwable, String)}.
     */
    public static String words(Throwable why) {
        if (why == null) return "failed";
        Throwable t = unwrap(why);
        String m = t.getMessage();
        if (m != null && !m.isBlank() && plain(m).equals(m.strip())) return m.strip();
        return of(t, (String) null);
    }

    /** "127.0.0.1:8083" rather than Java's "/127.0.0.1:8083" or "localhost/127.0.0.1:8083". */
    public static String peer(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    /**
     * Text that came from outside (a client's header, a request line) as a log line or a reply may quote it: control
     * and non-ASCII characters as '.', and at most {@code max} characters, then "...".
     */
    public static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 3);
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        if (s.length() > max) b.append("...");
        return b.toString();
    }

    /** A message with any Java class name taken out ("" when nothing else was in it). */
    public static String plain(String message) {
        if (message == null) return "";
        String s = CLASS_NAME.matcher(message).replaceAll("").strip();
        while (s.endsWith(":")) s = s.substring(0, s.length() - 1).strip();
        return s;
    }

    private static String reason(Throwable c, String to, String peer, Duration timeout) {
        String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
        String type = c.getClass().getName();
        if (m.contains("connection refused")) return "connection refused by" + orThere(to);
        if (c instanceof java.net.http.HttpConnectTimeoutException || c instanceof java.net.SocketTimeoutException
                || c instanceof java.net.http.HttpTimeoutException || type.endsWith("ConnectTimeoutException")
                || m.contains("timed out")) {
            return "no answer" + (to.isEmpty() ? "" : " from" + to) + within(m, timeout);
        }
        if (c instanceof java.net.UnknownHostException) {
            return "cannot find the host " + (c.getMessage() == null ? orThere(to).strip() : c.getMessage());
        }
        if (c instanceof java.nio.channels.UnresolvedAddressException) {
            return peer == null ? "cannot find the host" : "cannot find the host " + hostOf(peer);
        }
        if (c instanceof java.net.NoRouteToHostException || m.contains("no route to host")) return "no route to" + orThere(to);
        if (m.contains("network is unreachable")) return "no network path to" + orThere(to);
        if (m.contains("connection reset")) return "connection reset by" + orThere(to);
        if (m.contains("broken pipe")) return (to.isEmpty() ? "the other side" : to.strip()) + " closed the connection";
        if (m.contains("too many open files")) return "this process ran out of file descriptors (too many open files)";
        if (m.contains("received no bytes") || c instanceof java.io.EOFException) {
            return (to.isEmpty() ? "the other side" : to.strip()) + " closed the connection without answering";
        }
        if (c instanceof java.util.concurrent.RejectedExecutionException) return "the console is shutting down";
        if (m.contains("not an ssl/tls record")) return (to.isEmpty() ? "it" : to.strip()) + " did not speak TLS";
        if (c instanceof javax.net.ssl.SSLException) {
            if (m.contains("pkix") || m.contains("unable to find valid certification path")) {
                return "the TLS certificate" + (to.isEmpty() ? "" : " of" + to) + " is not trusted";
            }
            String detail = plain(c.getMessage());
            if (to.isEmpty()) return detail.isEmpty() ? "TLS handshake failed" : detail;
            return "TLS handshake with" + to + " failed" + (detail.isEmpty() ? "" : ": " + detail);
        }
        return null;
    }

    /** Failures that say less: named only when nothing more specific is in the chain. */
    private static String general(Throwable c, String to) {
        if (c instanceof java.net.ConnectException) {
            // the JDK's HttpClient: a ConnectException without a message over a ClosedChannelException, refused or not
            String detail = plain(c.getMessage());
            return detail.isEmpty() ? "cannot connect to" + orThere(to) : detail;
        }
        if (c instanceof java.nio.channels.ClosedChannelException) return "the connection" + (to.isEmpty() ? "" : " to" + to) + " closed";
        return null;
    }

    private static String hostOf(String peer) {
        int colon = peer.lastIndexOf(':');
        String host = colon > 0 && peer.indexOf(':') == colon || peer.startsWith("[") ? peer.substring(0, colon) : peer;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String orThere(String to) {
        return to.isEmpty() ? " the other side" : to;
    }

    private static String within(String lowerMessage, Duration timeout) {
        long millis = -1;
        Matcher m = AFTER_MILLIS.matcher(lowerMessage);
        if (m.find()) millis = Long.parseLong(m.group(1));
        else if (timeout != null) millis = timeout.toMillis();
        if (millis < 0) return " in time";
        return millis % 1000 == 0 ? " within " + millis / 1000 + " s"
                : String.format(Locale.ROOT, " within %.1f s", millis / 1000.0);
    }

    private static Throwable unwrap(Throwable t) {
        while (t.getCause() != null && t.getCause() != t
                && (t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.io.UncheckedIOException || t instanceof java.lang.reflect.InvocationTargetException
                || t.getClass().getName().equals("io.netty.handler.codec.DecoderException"))) {
            t = t.getCause();
        }
        return t;
    }

    private static String deepestMessage(Throwable t) {
        String found = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !plain(c.getMessage()).isEmpty()) {
                found = c.getMessage();
                break; // the outermost message that says something is the most specific the thrower chose
            }
        }
        return found;
    }
}
