package io.jpen.core.model;

import java.nio.file.Path;

/**
 * Parses the address forms of Pen's command line and command language: {@code [host:]port}, {@code [v6]:port},
 * Pen's own {@code ::1:port}, {@code /unix/path}, and backends {@code host[:port[:soft[:hard[:weight[:prio]]]]]}.
 * Every error names the text that was wrong.
 */
public final class Addresses {
    private Addresses() {}

    /** A listen or control address: {@code port}, {@code host:port}, {@code [v6]:port}, {@code ::1:port} or a path. */
    public static Endpoint endpoint(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty address");
        if (text.startsWith("/") || text.startsWith("./")) return new Endpoint.Unix(Path.of(text));
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("bad address '" + text + "': expected [IPv6]:port");
            }
            return new Endpoint.Tcp(host(text.substring(1, close), text), port(text.substring(close + 2), text));
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) return new Endpoint.Tcp(null, port(text, text));
        return new Endpoint.Tcp(host(text.substring(0, colon), text), port(text.substring(colon + 1), text));
    }

    /** A {@code host:port} pair (emergency and abuse servers); {@code [v6]:port} for IPv6. */
    public static HostPort hostPort(String text) {
        Endpoint e = endpoint(text);
        if (!(e instanceof Endpoint.Tcp t) || t.host() == null) {
            throw new IllegalArgumentException("bad address '" + text + "': expected host:port");
        }
        return new HostPort(t.host(), t.port());
    }

    /** A backend spec; a missing port means {@code defaultPort} (the listen port). */
    public static ServerSpec server(String text, int defaultPort) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty server address");
        String host;
        String rest;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("bad server '" + text + "': missing ']'");
            host = text.substring(1, close);
            rest = text.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("bad server '" + text + "': expected ':' after ']'");
            }
            rest = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            rest = colon < 0 ? "" : text.substring(colon + 1);
        }
        host(host, text);
        String[] f = rest.isEmpty() ? new String[0] : rest.split(":", -1);
        if (f.length > 5) {
            throw new IllegalArgumentException("bad server '" + text
                    + "': too many fields (host:port:soft:hard:weight:prio; put IPv6 addresses in brackets)");
        }
        int port = f.length > 0 ? port(f[0], text) : defaultPort;
        if (port < 1) throw new IllegalArgumentException("bad server '" + text + "': port must be 1-65535");
        int soft = f.length > 1 ? count(f[1], "soft limit", text) : 0;
        int hard = f.length > 2 ? count(f[2], "hard limit", text) : 0;
        int weight = f.length > 3 ? count(f[3], "weight", text) : 0;
        int prio = f.length > 4 ? count(f[4], "prio", text) : 0;
        return new ServerSpec(host, port, soft, hard, weight, prio, -1);
    }

    private static String host(String h, String whole) {
        if (h.isEmpty()) throw new IllegalArgumentException("bad address '" + whole + "': empty host");
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':' || c == '_' || c == '%')) {
                throw new IllegalArgumentException("bad address '" + whole + "': invalid character '" + c + "' in host");
            }
        }
        return h;
    }

    /** A port 0-65535 (0 = any free port, for listeners). */
    public static int port(String p, String whole) {
        int v;
        try {
            v = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + p + "' in '" + whole + "'");
        }
        if (v < 0 || v > 65535) {
            throw new IllegalArgumentException("port " + v + " out of range (0-65535) in '" + whole + "'");
        }
        return v;
    }

    private static int count(String v, String what, String whole) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + what + " '" + v + "' in server '" + whole + "'");
        }
    }
}
