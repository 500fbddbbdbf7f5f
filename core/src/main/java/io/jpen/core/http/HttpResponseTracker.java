package io.jpen.core.http;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Follows the server's side of a connection in HTTP mode, only to know which response answers which request: it
 * reads status lines and framing headers (Content-Length, chunked, no body for HEAD, 1xx, 204 and 304) and never
 * changes or holds a byte. Each final response is reported with the kind of request it answers, so the request
 * side can tell when the server has agreed to an Upgrade (101) or a CONNECT (2xx), and only then tunnel.
 *
 * <p>Where the responses cannot be followed (not HTTP, a head too large, a body that ends only at close), it stops
 * and says so once: no later answer can be matched, so the request side must not wait for one.
 * Not thread-safe: one instance belongs to one connection's event loop.
 */
public final class HttpResponseTracker {
    /** What the tracker tells the request side. */
    public interface Listener {
        /** The final response to a request of {@code kind} began, with {@code status}. */
        void answered(RequestKind kind, int status);

        /** Responses can no longer be matched to requests (also after a tunnel began). */
        void lost();
    }

    private static final int HEAD_LIMIT = 64 * 1024;
    private static final int CHUNK_LINE_LIMIT = 4096;

    private enum Phase { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, DONE }

    private final Listener listener;
    private final ArrayDeque<RequestKind> outstanding = new ArrayDeque<>();
    private final StringBuilder head = new StringBuilder();
    private Phase phase = Phase.HEAD;
    private int lineLength;
    private int lineBytes;
    private long remaining;
    private long chunkSize;
    private boolean chunkExtension;

    public HttpResponseTracker(Listener listener) {
        this.listener = listener;
    }

    /** A request of {@code kind} went to the server: the next unmatched final response answers it. */
    public void requestSent(RequestKind kind) {
        if (phase != Phase.DONE) outstanding.add(kind);
    }

    /** Whether answers can still be matched to requests. */
    public boolean following() {
        return phase != Phase.DONE;
    }

    /** Reads the readable bytes of {@code in} without moving its reader index. */
    public void observe(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end && phase != Phase.DONE) {
            switch (phase) {
                case BODY, CHUNK_DATA -> {
                    int take = (int) Math.min(remaining, end - i);
                    i += take;
                    remaining -= take;
                    if (remaining == 0) {
                        if (phase == Phase.BODY) nextResponse(); else startLine(Phase.CHUNK_DATA_END);
                    }
                }
                default -> i = line(in, i, end);
            }
        }
    }

    /** Head, chunk-size, chunk-end and trailer bytes, up to the end of what this phase needs; returns the next index. */
    private int line(ByteBuf in, int i, int end) {
        while (i < end) {
            byte b = in.getByte(i++);
            switch (phase) {
                case HEAD -> {
                    if (head.isEmpty() && (b == '\r' || b == '\n')) continue; // stray CRLF between responses
                    if (head.length() >= HEAD_LIMIT) return stop();
                    head.append((char) (b & 0xff));
                    if (endOfBlockLine(b)) {
                        headComplete();
                        return i;
                    }
                }
                case CHUNK_SIZE -> {
                    if (++lineBytes > CHUNK_LINE_LIMIT) return stop();
                    if (b == '\n') {
                        if (lineLength == 0) return stop(); // no size
                        if (chunkSize == 0) startLine(Phase.TRAILER);
                        else {
                            phase = Phase.CHUNK_DATA;
                            remaining = chunkSize;
                        }
                        return i;
                    }
                    int digit = Character.digit(b, 16);
                    if (!chunkExtension && digit >= 0) {
                        if (chunkSize > (Long.MAX_VALUE >> 4)) return stop();
                        chunkSize = chunkSize * 16 + digit;
                        lineLength++;
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        chunkExtension = true;
                    } else if (b != '\r' && !chunkExtension) {
                        return stop();
                    }
                }
                case CHUNK_DATA_END -> {
                    if (b == '\n') {
                        startLine(Phase.CHUNK_SIZE);
                        return i;
                    }
                    if (b != '\r') return stop();
                }
                case TRAILER -> {
                    if (++lineBytes > HEAD_LIMIT) return stop();
                    if (endOfBlockLine(b)) {
                        nextResponse();
                        return i;
                    }
                }
                default -> throw new IllegalStateException(phase.name());
            }
        }
        return i;
    }

    /** Tracks line lengths; true at the LF of the empty line that ends a head or trailer block. */
    private boolean endOfBlockLine(byte b) {
        if (b == '\n') {
            boolean empty = lineLength == 0;
            lineLength = 0;
            return empty;
        }
        if (b != '\r') lineLength++;
        return false;
    }

    private void headComplete() {
        String[] lines = head.toString().split("\r?\n");
        head.setLength(0);
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.") || status[1].length() != 3
                || !status[1].chars().allMatch(Character::isDigit)) {
            stop();
            return;
        }
        int code = Integer.parseInt(status[1]);
        if (code / 100 == 1 && code != 101) {
            nextResponse(); // 100 Continue, 103 Early Hints: an interim answer, the final one follows
            return;
        }
        RequestKind kind = outstanding.isEmpty() ? RequestKind.PLAIN : outstanding.poll();
        listener.answered(kind, code);
        if (code == 101 || kind.tunnelsOn(code)) {
            stop(); // a tunnel (or a switch nobody asked for): nothing more to follow
            return;
        }
        long length = -1;
        boolean chunked = false;
        boolean otherCoding = false;
        for (int n = 1; n < lines.length; n++) {
            int colon = lines[n].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[n].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[n].substring(colon + 1).strip();
            if (name.equals("content-length")) {
                String first = value.split(",", -1)[0].strip();
                if (first.isEmpty() || first.length() > 18 || !first.chars().allMatch(Character::isDigit)) {
                    stop();
                    return;
                }
                length = Long.parseLong(first);
            } else if (name.equals("transfer-encoding")) {
                String[] codings = value.split(",");
                chunked = codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
                otherCoding = !chunked;
            }
        }
        if (kind == RequestKind.HEAD || code == 204 || code == 304) {
            nextResponse();
        } else if (chunked) {
            startLine(Phase.CHUNK_SIZE);
        } else if (otherCoding || length < 0) {
            stop(); // the body ends when the server closes: no response follows it
        } else if (length == 0) {
            nextResponse();
        } else {
            phase = Phase.BODY;
            remaining = length;
        }
    }

    private void startLine(Phase next) {
        phase = next;
        lineLength = 0;
        lineBytes = 0;
        chunkSize = 0;
        chunkExtension = false;
    }

    private void nextResponse() {
        startLine(Phase.HEAD);
    }

    private int stop() {
        phase = Phase.DONE;
        outstanding.clear();
        head.setLength(0);
        listener.lost();
        return Integer.MAX_VALUE;
    }
}
