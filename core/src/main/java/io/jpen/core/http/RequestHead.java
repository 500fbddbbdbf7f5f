package io.jpen.core.http;

import io.jpen.core.model.Reasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One whole HTTP/1.x request head, checked and rewritten: the client is appended to {@code X-Forwarded-For}, the
 * client's {@code X-Forwarded-Proto} is replaced by jpen's; what the head says about the body's framing is kept for
 * {@link HttpRequestRewriter}, which follows the body. A malformed head is an {@link HttpRejection} naming the fault.
 *
 * @param text             the head as it is forwarded, ending in the empty line
 * @param contentLength    the body's Content-Length, or -1 without one
 * @param transferEncoding the Transfer-Encoding codings, or null without any
 */
record RequestHead(String text, RequestKind kind, long contentLength, String transferEncoding) {
    static RequestHead rewrite(String text, String client, String proto) {
        String[] lines = text.split("\n", -1);
        String requestLine = stripCr(lines[0]);
        String[] parts = requestLine(requestLine);
        StringBuilder b = new StringBuilder(text.length() + 64).append(requestLine).append("\r\n");
        List<String> forwardedFor = new ArrayList<>();
        long contentLength = -1;
        String transferEncoding = null;
        boolean upgrade = false;
        for (int i = 1; i < lines.length; i++) {
            String line = stripCr(lines[i]);
            if (line.isEmpty()) continue; // the terminating empty line (and the split's tail)
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') throw HttpRejection.bad("obsolete header line folding");
            int colon = line.indexOf(':');
            if (colon <= 0) throw HttpRejection.bad("header line without a name and colon: '" + printable(line) + "'");
            String name = line.substring(0, colon);
            if (!Tokens.token(name)) throw HttpRejection.bad("invalid header name '" + printable(name) + "'");
            String value = line.substring(colon + 1).strip();
            if (!Tokens.fieldValue(value)) throw HttpRejection.bad("control character in header " + name);
            switch (name.toLowerCase(Locale.ROOT)) {
                case "x-forwarded-for" -> {
                    if (!value.isEmpty()) forwardedFor.add(value);
                    continue;
                }
                case "x-forwarded-proto" -> {
                    continue; // the client's claim is not trusted; jpen knows the real one
                }
                case "content-length" -> contentLength = contentLength(value, contentLength);
                case "transfer-encoding" -> transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
                case "upgrade" -> upgrade = true;
                default -> { }
            }
            b.append(line).append("\r\n");
        }
        if (transferEncoding != null && parts[2].equals("HTTP/1.0")) {
            // RFC 9112 6.1: the framing is faulty; a 1.0 server would read the chunks as something else (smuggling).
            throw HttpRejection.bad("Transfer-Encoding in an HTTP/1.0 request");
        }
        forwardedFor.add(client);
        b.append("X-Forwarded-For: ").append(String.join(", ", forwardedFor)).append("\r\n");
        b.append("X-Forwarded-Proto: ").append(proto).append("\r\n\r\n");
        RequestKind kind = parts[0].equals("CONNECT") ? RequestKind.CONNECT : parts[0].equals("HEAD") ? RequestKind.HEAD
                : upgrade ? RequestKind.UPGRADE : RequestKind.PLAIN;
        return new RequestHead(b.toString(), kind, contentLength, transferEncoding);
    }

    static String[] requestLine(String requestLine) {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
            throw HttpRejection.notHttp("not an HTTP/1.x request line: '" + printable(requestLine) + "'");
        }
        if (!Tokens.token(parts[0])) throw HttpRejection.bad("invalid method '" + printable(parts[0]) + "'");
        if (parts[1].isEmpty() || !Tokens.visible(parts[1])) throw HttpRejection.bad("invalid request target");
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw HttpRejection.bad("unsupported version '" + printable(parts[2]) + "' (HTTP/1.0 and HTTP/1.1 only)");
        }
        return parts;
    }

    private static long contentLength(String value, long earlier) {
        long result = -1;
        for (String v : value.split(",", -1)) {
            String d = v.strip();
            if (d.isEmpty() || d.length() > 18 || !d.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw HttpRejection.bad("invalid Content-Length '" + printable(value) + "'");
            }
            long n = Long.parseLong(d);
            if (result >= 0 && n != result) throw HttpRejection.bad("conflicting Content-Length values");
            result = n;
        }
        if (earlier >= 0 && earlier != result) throw HttpRejection.bad("conflicting Content-Length values");
        return result;
    }

    static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    static String printable(String s) {
        return Reasons.printable(s, 60);
    }
}
