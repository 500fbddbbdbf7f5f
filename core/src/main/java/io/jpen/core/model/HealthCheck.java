package io.jpen.core.model;

import java.util.Objects;

/**
 * One server's active health check: what is sent and what counts as healthy. Off is {@code null} where a check is
 * held; there is no "off" value.
 *
 * <ul>
 * <li>{@link Kind#TCP}: the connect succeeds.</li>
 * <li>{@link Kind#HTTP}: {@code GET path HTTP/1.1} answers {@code code}, or any 2xx/3xx when {@code code} is 0.</li>
 * <li>{@link Kind#SEND}: {@code send} goes out as a line, and the reply must contain {@code expect}.</li>
 * </ul>
 *
 * @param path   the HTTP path (starts with {@code /}); null for the other kinds
 * @param code   the HTTP status wanted, 0 for any 2xx or 3xx
 * @param send   what a send/expect check writes (may be empty: the server speaks first)
 * @param expect what the reply must contain (not empty)
 */
public record HealthCheck(Kind kind, String path, int code, String send, String expect) {
    /** The three kinds of check, by their penctl word. */
    public enum Kind {
        TCP, HTTP, SEND;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public HealthCheck {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case TCP -> {
                path = null;
                code = 0;
                send = null;
                expect = null;
            }
            case HTTP -> {
                if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("check http: the path must start with /, not '" + path + "'");
                for (int i = 0; i < path.length(); i++) {
                    char c = path.charAt(i);
                    if (c <= ' ' || c >= 0x7f) throw new IllegalArgumentException("check http: the path must be printable ASCII without spaces (use %20)");
                }
                if (code != 0 && (code < 100 || code > 599)) throw new IllegalArgumentException("check http: status " + code + " is not an HTTP status (100-599)");
                send = null;
                expect = null;
            }
            case SEND -> {
                if (send == null) send = "";
                if (expect == null || expect.isEmpty()) throw new IllegalArgumentException("check send: the expected text must not be empty");
                if (send.length() > 4096 || expect.length() > 4096) throw new IllegalArgumentException("check send: texts are limited to 4096 characters");
                path = null;
                code = 0;
            }
        }
    }

    public static HealthCheck tcp() {
        return new HealthCheck(Kind.TCP, null, 0, null, null);
    }

    public static HealthCheck http(String path, int code) {
        return new HealthCheck(Kind.HTTP, path, code, null, null);
    }

    public static HealthCheck send(String send, String expect) {
        return new HealthCheck(Kind.SEND, null, 0, send, expect);
    }

    /**
     * The words after {@code server N check}, as {@code write} saves them and {@code servers} shows them:
     * {@code tcp}, {@code http /healthz}, {@code http /healthz 200}, {@code send "PING" expect "+PONG"}.
     */
    public String words() {
        return switch (kind) {
            case TCP -> "tcp";
            case HTTP -> "http " + path + (code == 0 ? "" : " " + code);
            case SEND -> "send " + quote(send) + " expect " + quote(expect);
        };
    }

    /**
     * A text as a double-quoted word: {@code \"}, {@code \\}, {@code \r}, {@code \n}, {@code \t} and {@code \xHH}
     * for other control characters, so any text fits on one line of a config file and reads back the same.
     */
    public static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
