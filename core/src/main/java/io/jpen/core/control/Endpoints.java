package io.jpen.core.control;

import io.jpen.core.model.Endpoint;

import java.nio.file.Path;

/** Parses Pen's address forms: {@code port}, {@code addr:port}, {@code [v6]:port}, {@code v6:port}, {@code /path}. */
public final class Endpoints {
    private Endpoints() {}

    /** A missing address gives {@code Tcp(null, port)}; what that means (all addresses, loopback) is the caller's. */
    public static Endpoint parse(String what, String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException(what + ": no address given");
        if (text.startsWith("/")) return new Endpoint.Unix(Path.of(text));
        String host = null;
        String port = text;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) throw new IllegalArgumentException(what + ": '" + text + "' should be [address]:port");
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                host = text.substring(0, colon); // Pen writes IPv6 as ::1:PORT: the last colon separates
                port = text.substring(colon + 1);
            }
        }
        if (host != null && host.isEmpty()) throw new IllegalArgumentException(what + ": '" + text + "' has an empty address");
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + port + "' in '" + text + "' is not a port number");
        }
        if (p < 0 || p > 65535) throw new IllegalArgumentException(what + ": port " + p + " out of range 0-65535");
        return new Endpoint.Tcp(host, p);
    }
}
